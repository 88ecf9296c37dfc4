// The Job controller's files are being reshaped on another branch; they still import from here.
export { getCondition, removeCondition, setCondition, upsertCondition, type Condition } from '../../lib/conditions.ts';
