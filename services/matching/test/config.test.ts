import t from 'tap';
import { resolveConfig } from '@reemploy/matching-engine';
import { parseMatchingEnv } from '../src/config.ts';
import { engineConfig } from '../src/matcher/inputs.ts';

t.test('factor weights come from MATCHING_WEIGHTS, merged over the defaults, and are checked at start', async (t) => {
  const env = parseMatchingEnv({ MATCHING_WEIGHTS: 'skills:1, priority:2', MATCHING_CAPACITY_FACTOR: '3', MATCHING_TOP_K: '7' });
  const config = resolveConfig(engineConfig(env));
  t.equal(config.weights.skills, 1);
  t.equal(config.weights.priority, 2);
  t.equal(config.weights.occupation, 0.2, 'a factor left out keeps its default weight');
  t.equal(config.capacityFactor, 3);
  t.equal(config.topK, 7);
  t.throws(() => parseMatchingEnv({ MATCHING_WEIGHTS: 'skills:0.3,wages:0.1' }), 'an unknown factor is refused');
  t.throws(() => parseMatchingEnv({ MATCHING_WEIGHTS: 'skills:0.3,skills:0.5' }), /each factor at most once/, 'a factor given twice is refused');
  // All six at 0 would make every score 0/0: refused when the service starts, not on the first matching request.
  t.throws(() => parseMatchingEnv({ MATCHING_WEIGHTS: 'skills:0,occupation:0,age:0,wage:0,proximity:0,priority:0' }));
});
