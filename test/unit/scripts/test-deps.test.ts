import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingPackages } from '../../../scripts/test-deps.ts';

test('npm test asks for the Debian packages only of the tests it runs, and only when missing', () => {
  const none = () => false;
  assert.deepEqual(missingPackages(['test/api/roles.test.ts'], none, {}), []);
  assert.deepEqual(missingPackages(['test/console/console.test.ts'], none, {}), ['chromium']);
  assert.deepEqual(missingPackages(['test/readme/tour.test.ts', 'test/console/docs.test.ts'], none, {}), ['chromium', 'curl', 'jq']);
  assert.deepEqual(
    missingPackages(['test/console/console.test.ts'], (c) => c === 'chromium', {}),
    [],
  );
  assert.deepEqual(missingPackages(['test/console/console.test.ts'], none, { CHROMIUM_PATH: '/opt/chrome' }), [], 'a browser of your own is used as it is');
});
