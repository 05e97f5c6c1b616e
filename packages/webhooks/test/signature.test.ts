import t from 'tap';
import { signPayload, verifySignature } from '@reemploy/webhooks';

const SECRET = 'a-shared-secret-of-the-subscriber';
const BODY = '{"id":"e1","type":"seeker.re-employed"}';

t.test('a signature verifies with its secret and body, recently; nothing else does', async (t) => {
  const header = signPayload(SECRET, BODY);
  t.equal(verifySignature(SECRET, BODY, header), true);
  t.equal(verifySignature('another-secret-entirely', BODY, header), false, 'another secret');
  t.equal(verifySignature(SECRET, `${BODY} `, header), false, 'another body');
  t.equal(verifySignature(SECRET, BODY, signPayload(SECRET, BODY, Math.floor(Date.now() / 1000) - 600)), false, 'too old');
});

t.test('a missing, repeated or garbled header is false, never a throw', async (t) => {
  const good = signPayload(SECRET, BODY);
  const mac = good.split('v1=')[1]!;
  for (const header of [undefined, null, '', [good, good], 'garbage', 't=', 'v1=', `t=,v1=${mac}`, `t=abc,v1=${mac}`, `v1=${mac}`, 't=1,v1=zz', `t=${Math.floor(Date.now() / 1000)},v1=${mac.slice(2)}`, ',,,', '=,=', 't=1e3,v1=00']) {
    t.doesNotThrow(() => verifySignature(SECRET, BODY, header as string), `does not throw on ${JSON.stringify(header)}`);
    t.equal(verifySignature(SECRET, BODY, header as string), false, `false on ${JSON.stringify(header)}`);
  }
});
