import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  matches,
  parseLabelSelector,
  fromLabelSelector,
  selectorString,
  selectorMatches,
  SelectorParseError,
  compileLabelSelector,
  compileNodeLabelRequirement,
  compileRequirements,
} from '../../../src/kube/selectors/labels.ts';
import { commonFields, compileFieldSelector, parseFieldSelector, FieldSelectorError } from '../../../src/kube/selectors/fields.ts';

const sel = (s: string, labels: Record<string, string>) => matches(parseLabelSelector(s), labels);

// The examples of https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
test('equality-based examples from the labels concept page', () => {
  assert.equal(sel('environment = production', { environment: 'production' }), true);
  assert.equal(sel('environment = production', { environment: 'dev' }), false);
  assert.equal(sel('environment == production', { environment: 'production' }), true);
  // "tier != frontend" selects resources without the tier key as well.
  assert.equal(sel('tier != frontend', { tier: 'backend' }), true);
  assert.equal(sel('tier != frontend', {}), true);
  assert.equal(sel('tier != frontend', { tier: 'frontend' }), false);
  assert.equal(sel('environment=production,tier!=frontend', { environment: 'production', tier: 'backend' }), true);
  assert.equal(sel('environment=production,tier!=frontend', { environment: 'production', tier: 'frontend' }), false);
});

test('set-based examples from the labels concept page', () => {
  assert.equal(sel('environment in (production, qa)', { environment: 'qa' }), true);
  assert.equal(sel('environment in (production, qa)', { environment: 'dev' }), false);
  assert.equal(sel('tier notin (frontend, backend)', { tier: 'cache' }), true);
  assert.equal(sel('tier notin (frontend, backend)', {}), true);
  assert.equal(sel('tier notin (frontend, backend)', { tier: 'backend' }), false);
  assert.equal(sel('partition', { partition: 'a' }), true);
  assert.equal(sel('partition', {}), false);
  assert.equal(sel('!partition', {}), true);
  assert.equal(sel('!partition', { partition: '' }), false);
  assert.equal(sel('partition,environment notin (qa)', { partition: 'x', environment: 'prod' }), true);
});

test('an empty selector selects everything; bad syntax is an error', () => {
  assert.equal(sel('', {}), true);
  assert.throws(() => parseLabelSelector('a b'), SelectorParseError);
  assert.throws(() => parseLabelSelector('a=b c'), SelectorParseError);
  assert.throws(() => parseLabelSelector('bad key!=x'), SelectorParseError);
});

test('structured selectors: null selects nothing, {} everything, expressions are ANDed', () => {
  assert.equal(selectorMatches(null, { a: 'b' }), false);
  assert.equal(selectorMatches({}, { a: 'b' }), true);
  const s = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In' as const, values: ['a', 'b'] },
      { key: 'canary', operator: 'DoesNotExist' as const },
    ],
  };
  assert.equal(selectorMatches(s, { app: 'web', tier: 'a' }), true);
  assert.equal(selectorMatches(s, { app: 'web', tier: 'a', canary: 'y' }), false);
  assert.equal(selectorString(fromLabelSelector(s)!), 'app=web,!canary,tier in (a,b)');
});

test('one matcher for every form: inherited object properties are not labels; Gt/Lt read signed integers; invalid operators select nothing', () => {
  assert.equal(sel('constructor', {}), false, 'a key named like an Object property is absent on an object without it');
  assert.equal(sel('!toString', { app: 'a' }), true);
  assert.equal(compileLabelSelector({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] })({}), false);
  assert.equal(sel('gen>4', { gen: '+5' }), true, 'strconv.ParseInt accepts a sign');
  assert.equal(sel('gen<4', { gen: 'x' }), false);
  const gt = compileNodeLabelRequirement({ key: 'gen', operator: 'Gt', values: ['4'] });
  assert.deepEqual([gt({ gen: '5' }), gt({ gen: '4' }), gt({}), gt({ gen: 'five' })], [true, false, false, false]);
  assert.equal(compileNodeLabelRequirement({ key: 'gen', operator: 'Gt', values: ['4', '5'] })({ gen: '9' }), false, 'Gt takes exactly one value');
  assert.equal(compileNodeLabelRequirement({ key: 'gen', operator: 'Bogus' })({ gen: '9' }), false);
  assert.equal(
    selectorMatches({ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['1'] }] }, { gen: '9' }),
    false,
    'Gt is not a LabelSelector operator',
  );
  assert.equal(compileRequirements([])({ any: 'x' }), true);
});

const key = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const value = fc.stringMatching(/^[a-z0-9]{1,5}$/);
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'env', 'zone'), fc.constantFrom('a', 'b', 'c'), { maxKeys: 4 });

test('property: !=, notin and !key match objects lacking the key; = and in never do', () => {
  fc.assert(
    fc.property(key, value, (k, v) => {
      assert.equal(sel(`${k}!=${v}`, {}), true);
      assert.equal(sel(`${k} notin (${v})`, {}), true);
      assert.equal(sel(`!${k}`, {}), true);
      assert.equal(sel(`${k}=${v}`, {}), false);
      assert.equal(sel(`${k} in (${v})`, {}), false);
    }),
  );
});

test('property: "k in (a,b)" is "k=a" or "k=b"; "k notin (a,b)" is its negation', () => {
  fc.assert(
    fc.property(labels, fc.constantFrom('app', 'tier', 'env'), fc.constantFrom('a', 'b', 'c'), fc.constantFrom('a', 'b', 'c'), (l, k, a, b) => {
      const inSet = sel(`${k} in (${a},${b})`, l);
      assert.equal(inSet, sel(`${k}=${a}`, l) || sel(`${k}=${b}`, l));
      assert.equal(sel(`${k} notin (${a},${b})`, l), !inSet);
    }),
  );
});

test('property: a structured selector and its canonical string select the same labels', () => {
  const expr = fc.record({
    key: fc.constantFrom('app', 'tier', 'env', 'zone'),
    operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const),
    values: fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
  });
  const structured = fc.record({
    matchLabels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b'), { maxKeys: 2 }),
    matchExpressions: fc
      .array(expr, { maxLength: 3 })
      .map((es) => es.map((e) => (e.operator === 'Exists' || e.operator === 'DoesNotExist' ? { key: e.key, operator: e.operator } : e))),
  });
  fc.assert(
    fc.property(structured, labels, (s, l) => {
      const text = selectorString(fromLabelSelector(s)!);
      assert.equal(sel(text, l), selectorMatches(s, l), text);
    }),
  );
});

test('field selectors: =, ==, != and escapes; unknown fields are refused', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a,b', namespace: 'default' }, status: { phase: 'Running' } } as any;
  const getters = { ...commonFields, 'status.phase': (o: any) => o.status?.phase };
  const f = (s: string) => compileFieldSelector(parseFieldSelector(s), getters)(pod);
  assert.equal(f('metadata.name=a\\,b'), true);
  assert.equal(f('metadata.namespace==default,status.phase!=Pending'), true);
  assert.equal(f('status.phase=Pending'), false);
  assert.throws(
    () => f('spec.bogus=x'),
    (e: unknown) => e instanceof FieldSelectorError && e.message === 'field label not supported: spec.bogus',
  );
});
