/**
 * The job registry (`@reemploy/events` jobs.ts): every queue of every service
 * refuses, at once and without retries, a job whose name it does not have or
 * whose data fails the job's schema; producers cannot enqueue such a job;
 * RUN_WORKERS=false starts no consumer at all; the events routed to a service
 * and those it handles agree.
 */
import t from 'tap';
import { Queue, type Job } from 'bullmq';
import { jobData, jobRegistry, queueNames, SERVICES, type QueueName, type ServiceName } from '@reemploy/events';
import { startEventConsumer } from '@reemploy/messaging';
import { eventually } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { build as buildAssistanceBases } from '../../services/assistance-bases/test/helper.ts';

const builders = { registration: buildRegistration, 'job-postings': buildJobPostings, matching: buildMatching, 'assistance-bases': buildAssistanceBases } as const;

/** The queues a service's worker consumes. */
function consumedQueues(service: ServiceName): QueueName[] {
  const own: QueueName[] = [queueNames.events(service), queueNames.maintenance(service), queueNames.webhooks(service)];
  return service === 'matching' ? [...own, queueNames.matchingRuns, queueNames.matchingPartitions] : own;
}

/** A job known to each queue, with data its schema refuses. */
function knownName(queue: QueueName): string {
  return Object.keys(jobRegistry[queue])[0]!;
}

async function settled(queue: Queue, id: string): Promise<Job> {
  // The state first, then the job: a job read before it failed carries no reason.
  return eventually(async () => ((await queue.getJobState(id)) === 'failed' ? queue.getJob(id) : undefined), 20_000);
}

t.test('producers cannot enqueue what the registry does not have', async (t) => {
  t.throws(() => jobData('matching-runs', 'plan', { runId: 'not-a-uuid' }), 'a plan job names its run by uuid');
  t.throws(() => jobData('matching-runs', 'replan' as 'plan', { runId: '00000000-0000-4000-8000-000000000000' }), 'the runs queue has no such job');
  t.same(jobData('matching-partitions', 'partition', { runId: '00000000-0000-4000-8000-000000000000', partitionKey: '320508' }), { runId: '00000000-0000-4000-8000-000000000000', partitionKey: '320508' });
  t.same(jobData('maintenance-registration', 'hardship-daily', {}), {}, 'a scheduled job carries no data');
});

for (const service of SERVICES) {
  t.test(`every queue ${service} consumes refuses unknown job names and invalid data, without retries`, async (t) => {
    const svc = await builders[service](t);
    await svc.startWorkers();
    for (const name of consumedQueues(service)) {
      const queue = new Queue(name, { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
      t.teardown(() => queue.close());
      const unknown = await queue.add('no-such-job', {}, { attempts: 3 });
      const failedUnknown = await settled(queue, unknown.id!);
      t.match(failedUnknown.failedReason, /has no job named/, `${name}: an unknown name fails`);
      t.equal(failedUnknown.attemptsMade, 1, `${name}: and is not tried again`);

      const invalid = await queue.add(knownName(name), { unexpected: { idNumber: '320508197411278811' } }, { attempts: 3 });
      const failedInvalid = await settled(queue, invalid.id!);
      t.match(failedInvalid.failedReason, name.startsWith('events-') ? /refused|signature/ : /invalid data/, `${name}: data its schema refuses fails`);
      t.notMatch(failedInvalid.failedReason, /320508197411278811/, `${name}: the reason does not repeat the data`);
      t.equal(failedInvalid.attemptsMade, 1, `${name}: and is not tried again`);
    }
  });
}

t.test('RUN_WORKERS=false starts no consumer: no events, maintenance or webhook worker', async (t) => {
  const svc = await buildRegistration(t, { env: { RUN_WORKERS: 'false' } });
  const workers = await svc.startWorkers();
  t.equal(workers.workers.length, 0, 'no BullMQ worker started');
  for (const name of consumedQueues('registration')) {
    const queue = new Queue(name, { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
    t.teardown(() => queue.close());
    t.equal((await queue.getWorkers()).length, 0, `nothing consumes ${name}`);
  }
  const running = await buildRegistration(t);
  await running.startWorkers();
  const webhooks = new Queue(queueNames.webhooks('registration'), { connection: running.ctx.redis, prefix: running.ctx.queuePrefix });
  t.teardown(() => webhooks.close());
  t.ok((await webhooks.getWorkers()).length > 0, 'with workers on, the webhook queue has its consumer (the check above can see one)');
});

t.test('a service whose handlers differ from the events routed to it does not start', async (t) => {
  const svc = await buildMatching(t);
  const base = { service: 'matching' as const, db: svc.ctx.db, redis: svc.ctx.redis, prefix: svc.ctx.queuePrefix, logger: svc.ctx.logger, signingKeys: svc.ctx.secrets.eventSigningKeys };
  t.throws(() => startEventConsumer({ ...base, handlers: { 'seeker.registered': async () => undefined } }), /events routed to it/, 'routed events without a handler');
});
