import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepPod } from '../../../src/kubelet/step.ts';
import { cond, cstatus, fakeEnv, pod, runUntil, sec, T0 } from './fake-env.ts';

test('a missing ConfigMap in env: CreateContainerConfigError until it exists', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const spec = {
    containers: [
      { name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'x' } } }] },
    ],
  };
  const r = runUntil(pod('cfg', spec), env, T0, sec(60));
  assert.deepEqual(cstatus(r.pod).state, { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "cfg" not found' } });
  assert.equal(r.pod.status.phase, 'Pending');
  assert.ok(r.events.includes('Failed: Error: configmap "cfg" not found'));

  env.configMaps.cfg = ['y'];
  const wrongKey = stepPod(r.pod, env, sec(61));
  assert.equal(cstatus(wrongKey.pod).state.waiting.message, "couldn't find key x in ConfigMap default/cfg");

  env.configMaps.cfg = ['x'];
  const ok = stepPod(wrongKey.pod, env, sec(62));
  assert.equal(ok.pod.status.phase, 'Running');
  assert.equal(cstatus(ok.pod).state.running.startedAt, '2026-01-01T00:01:02Z');
});

test('a missing ConfigMap volume: ContainerCreating with one FailedMount event, then it mounts (cmvol)', () => {
  const env = fakeEnv({ images: ['nginx'] });
  const spec = {
    volumes: [{ name: 'volmap', configMap: { name: 'multimap' } }],
    containers: [{ name: 'ctr', image: 'nginx', volumeMounts: [{ name: 'volmap', mountPath: '/etc/name' }] }],
  };
  const first = stepPod(pod('cmvol', spec), env, T0);
  assert.equal(first.pod.status.podIP, undefined);
  assert.equal(cstatus(first.pod, 'ctr').state.waiting.reason, 'ContainerCreating');
  assert.equal(cond(first.pod, 'PodReadyToStartContainers').status, 'False');
  assert.deepEqual(
    first.events.map((e) => `${e.reason}: ${e.message}`),
    ['FailedMount: MountVolume.SetUp failed for volume "volmap" : configmap "multimap" not found'],
  );
  assert.equal(stepPod(first.pod, env, sec(5)).events.length, 0, 'the same cause is not reported again');

  env.configMaps.multimap = ['given', 'family'];
  const r = runUntil(first.pod, env, sec(10), sec(60));
  assert.equal(r.pod.status.phase, 'Running');
  assert.equal(cstatus(r.pod, 'ctr').ready, true);
});

test('an unbound claim keeps the pod waiting; once bound it runs (volpod)', () => {
  const env = fakeEnv({ images: ['ubuntu:latest'] });
  const spec = {
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'pvc1' } }],
    containers: [{ name: 'ubuntu-ctr', image: 'ubuntu:latest', command: ['/bin/bash', '-c', 'sleep 60m'] }],
  };
  const first = stepPod(pod('volpod', spec), env, T0);
  assert.match(first.events[0].message, /^Unable to attach or mount volumes: unmounted volumes=\[data\]/);
  env.boundClaims.push('pvc1');
  const r = runUntil(first.pod, env, sec(1), sec(120));
  assert.equal(r.pod.status.phase, 'Running');
  // `sleep 60m` exits 0 after an hour; restartPolicy Always restarts it.
  const later = runUntil(r.pod, env, sec(120), sec(3700));
  assert.equal(cstatus(later.pod, 'ubuntu-ctr').restartCount, 1);
  assert.equal(cstatus(later.pod, 'ubuntu-ctr').lastState.terminated.reason, 'Completed');
});

test('init containers run one after the other before the app containers', () => {
  const env = fakeEnv({ images: ['busybox:1.36', 'nginx:1.27'] });
  const spec = {
    initContainers: [
      { name: 'one', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3'] },
      { name: 'two', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 4'] },
    ],
  };
  const first = stepPod(pod('init', spec), env, T0);
  assert.equal(cstatus(first.pod).state.waiting.reason, 'PodInitializing');
  assert.equal(cond(first.pod, 'Initialized').message, 'containers with incomplete status: [one two]');
  const mid = runUntil(first.pod, env, T0, sec(5));
  const initStatuses = mid.pod.status.initContainerStatuses;
  assert.equal(initStatuses[0].state.terminated.reason, 'Completed');
  assert.ok(initStatuses[1].state.running);
  assert.equal(cond(mid.pod, 'Initialized').message, 'containers with incomplete status: [two]');
  assert.equal(mid.pod.status.phase, 'Pending');
  const done = runUntil(mid.pod, env, sec(5), sec(60));
  assert.equal(cond(done.pod, 'Initialized').status, 'True');
  assert.equal(cond(done.pod, 'Initialized').lastTransitionTime, '2026-01-01T00:00:07Z');
  assert.equal(done.pod.status.phase, 'Running');
});

test('a Job pod runs kates.dev/run-seconds and succeeds; a failing one with Never fails', () => {
  const env = fakeEnv({ images: ['busybox:1.36'] });
  const job = { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36' }] };
  const ok = runUntil(pod('job-ok', job, { 'kates.dev/run-seconds': '8' }), env, T0, sec(60));
  assert.equal(ok.pod.status.phase, 'Succeeded');
  assert.equal(cstatus(ok.pod).state.terminated.reason, 'Completed');
  assert.equal(cond(ok.pod, 'Ready').reason, 'PodCompleted');
  const bad = runUntil(pod('job-bad', job, { 'kates.dev/crash-after-seconds': '2', 'kates.dev/exit-code': '2' }), env, T0, sec(60));
  assert.equal(bad.pod.status.phase, 'Failed');
  assert.equal(cstatus(bad.pod).state.terminated.exitCode, 2);
  // A Job's pods default to a few seconds of work.
  const owned = pod('job-default', job);
  owned.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'uid-j', controller: true }];
  const quick = runUntil(owned, env, T0, sec(60));
  assert.equal(quick.pod.status.phase, 'Succeeded');
});

test('a bare pod with restartPolicy Never keeps running until deleted, as nginx would', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const bare = runUntil(
    pod('bare', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }] }),
    env,
    T0,
    sec(600),
  );
  assert.equal(bare.pod.status.phase, 'Running');
  const onFailure = runUntil(
    pod('bare-onf', { restartPolicy: 'OnFailure', containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }] }),
    env,
    T0,
    sec(600),
  );
  assert.equal(onFailure.pod.status.phase, 'Running');
});

test('OnFailure restarts a failed container but a clean exit completes the pod', () => {
  const env = fakeEnv({ images: ['busybox:1.36'] });
  const spec = { restartPolicy: 'OnFailure', containers: [{ name: 'app', image: 'busybox:1.36' }] };
  const r = runUntil(pod('onf', spec, { 'kates.dev/crash-after-seconds': '1' }), env, T0, sec(30));
  assert.ok(cstatus(r.pod).restartCount >= 2);
  assert.equal(r.pod.status.phase, 'Running');
});

test('declared memory above the limit is OOMKilled (exit 137) and restarts', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const spec = { containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: { limits: { memory: '128Mi', cpu: '500m' } } }] };
  const r = runUntil(pod('oom', spec, { 'kates.dev/memory-usage': '200Mi' }), env, T0, sec(15));
  const c = cstatus(r.pod);
  assert.equal(c.lastState.terminated.reason, 'OOMKilled');
  assert.equal(c.lastState.terminated.exitCode, 137);
  assert.equal(r.pod.status.qosClass, 'Guaranteed');
});

test('a deleted pod stops within its grace period and is removed; with finalizers it turns terminal first', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const running = runUntil(pod('del', { containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }] }), env, T0, sec(10)).pod;
  running.metadata.deletionTimestamp = '2026-01-01T00:00:50Z'; // deleted at 20 s with grace 30
  running.metadata.deletionGracePeriodSeconds = 30;
  const killing = stepPod(running, env, sec(20));
  assert.deepEqual(
    killing.events.map((e) => `${e.reason}: ${e.message}`),
    ['Killing: Stopping container app'],
  );
  assert.equal(killing.nextAt, sec(21), 'stops after kates.dev/stop-seconds (1 s)');
  const gone = stepPod(killing.pod, env, sec(21));
  assert.equal(gone.remove, true);

  const withFinalizer = structuredClone(killing.pod);
  withFinalizer.metadata.finalizers = ['batch.kubernetes.io/job-tracking'];
  const kept = stepPod(withFinalizer, env, sec(21));
  assert.equal(kept.remove, false);
  assert.equal(kept.pod.status.phase, 'Failed');
  assert.equal(kept.pod.metadata.deletionGracePeriodSeconds, 0);
  assert.equal(cstatus(kept.pod).state.terminated.exitCode, 143);
  assert.equal(stepPod(kept.pod, env, sec(30)).changed, false);
});

test('activeDeadlineSeconds fails the pod with DeadlineExceeded', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const r = runUntil(
    pod('dl', { activeDeadlineSeconds: 30, containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }] }),
    env,
    T0,
    sec(60),
  );
  assert.equal(r.pod.status.phase, 'Failed');
  assert.equal(r.pod.status.reason, 'DeadlineExceeded');
  assert.equal(cstatus(r.pod).state.terminated.finishedAt, '2026-01-01T00:00:30Z');
});

test('an upper-case image name is InvalidImageName', () => {
  const r = runUntil(pod('bad', { containers: [{ name: 'app', image: 'Nginx' }] }), fakeEnv(), T0, sec(60));
  assert.equal(cstatus(r.pod).state.waiting.reason, 'InvalidImageName');
});

test('images already on the node are not pulled again (IfNotPresent)', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const first = stepPod(pod('cached'), env, T0);
  assert.deepEqual(
    first.events.map((e) => e.reason),
    ['Pulled', 'Created', 'Started'],
  );
  assert.equal(first.events[0].message, 'Container image "nginx:1.27" already present on machine');
  assert.equal(first.pod.status.phase, 'Running');
});

test('a declared registry error: ErrImagePull, ImagePullBackOff with doubling retries, then the image arrives', () => {
  const env = fakeEnv();
  const p = pod(
    'typo',
    { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    { 'kates.dev/image-pull-error': 'not found', 'kates.dev/image-pull-seconds': '2' },
  );
  const failing = runUntil(p, env, T0, sec(20));
  // Pull fails at 2 s (ErrImagePull), back-off at 3 s, retries at 12 s (fails, 20 s back-off) and 32 s.
  assert.equal(cstatus(failing.pod).state.waiting.reason, 'ImagePullBackOff');
  assert.equal(failing.pod.status.phase, 'Pending');
  assert.equal(failing.events.filter((e) => e === 'Failed: Error: ErrImagePull').length, 2);
  assert.ok(failing.events.includes('BackOff: Back-off pulling image "nginx:1.27"'));
  assert.ok(failing.events.includes('Failed: Failed to pull image "nginx:1.27": failed to pull and unpack image "docker.io/library/nginx:1.27": not found'));

  delete failing.pod.metadata.annotations!['kates.dev/image-pull-error'];
  const fixed = runUntil(failing.pod, env, sec(20), sec(60));
  assert.equal(fixed.pod.status.phase, 'Running');
  assert.equal(cstatus(fixed.pod).state.running.startedAt, '2026-01-01T00:00:34Z', 'retried at 32 s, pulled in 2 s');
});
