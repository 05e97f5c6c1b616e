import t from 'tap';
import { TEST_DATABASE_URL } from '@reemploy/runtime/testing';
import { benchmark } from '../bench/run.ts';

// The benchmark at toy size: real worker processes, the SQL baseline and the floor all run; no timing is asserted.
t.test('the matching benchmark runs end to end in a small configuration', async (t) => {
  const result = await benchmark({ seekers: 300, vacancies: 120, workers: [1], sample: 20, topK: 5, onDemandSeconds: 3, onDemandRate: 20, databaseUrl: TEST_DATABASE_URL });
  const [run] = result.runs;
  t.ok(run, 'one run');
  t.equal(run!.workers, 1);
  t.ok(run!.seekers > 0 && run!.seekers <= 300);
  t.equal(run!.vacancies, 120);
  t.ok(run!.recommendations > 0);
  t.ok(run!.candidatePairsScored > 0);
  t.equal(result.sqlBaseline.sampleSeekers, 20);
  t.ok(result.sqlBaseline.extrapolatedMs > 0);
  t.ok(result.floor.bytesWritten > 0, 'the floor wrote the run outputs');
  t.ok(result.onDemand && result.onDemand.requests > 0 && result.onDemand.non2xx === 0, `on-demand matches answered: ${JSON.stringify(result.onDemand)}`);
  t.ok(result.ratios.speedupOverSqlBaseline > 0 && result.ratios.timesFloor > 0);
});
