import t from 'tap';
import { addressAllowed, receiverUrlProblem } from '@reemploy/webhooks';

const production = { allowLoopback: false };
const development = { allowLoopback: true };

/** Every notation of a non-public address a URL can carry; WHATWG URL normalises the IPv4 forms, and what is checked is the normalised host. */
const REFUSED_URLS = [
  'https://127.0.0.1/hook',
  'https://127.0.0.1./hook',
  'https://127.1/hook',
  'https://2130706433/hook',
  'https://0x7f000001/hook',
  'https://0x7f.0.0.1/hook',
  'https://0177.0.0.1/hook',
  'https://017700000001/hook',
  'https://%31%32%37.0.0.1/hook',
  'https://[::1]:3001/health',
  'https://[0:0:0:0:0:0:0:1]/',
  'https://[::ffff:127.0.0.1]/',
  'https://[::ffff:7f00:1]/',
  'https://[::127.0.0.1]/',
  'https://169.254.169.254/latest/meta-data',
  'https://[::ffff:169.254.169.254]/latest/meta-data',
  'https://0xa9fea9fe/latest/meta-data',
  'https://100.100.100.200/latest/meta-data',
  'https://10.0.0.1/',
  'https://172.16.5.4/',
  'https://192.168.1.1/',
  'https://0.0.0.0/',
  'https://0/',
  'https://255.255.255.255/',
  'https://224.0.0.1/',
  'https://[fe80::1]/',
  'https://[fd00::1]/',
  'https://[fc00::1]/',
  'https://[ff02::1]/',
  'https://[::]/',
  'https://[64:ff9b::7f00:1]/',
  'https://[2002:7f00:1::1]/',
  'https://[2001::1]/',
  'https://192.0.2.1/',
];

t.test('a receiver URL naming a non-public address is refused in every notation', async (t) => {
  for (const url of REFUSED_URLS) t.match(receiverUrlProblem(url, production), /non-public address/, url);
  t.equal(new URL('https://0x7f.1/').hostname, '127.0.0.1', 'the parser turns the hex and short forms into dotted decimal, which is what is checked');
  t.equal(new URL('https://2130706433/').hostname, '127.0.0.1');
});

t.test('https is required outside development; credentials never', async (t) => {
  t.equal(receiverUrlProblem('https://hooks.example.com/reemploy', production), null, 'a public https receiver is fine');
  t.equal(receiverUrlProblem('https://8.8.8.8:8443/hook', production), null, 'a public address is fine');
  t.match(receiverUrlProblem('http://hooks.example.com/reemploy', production), /https/);
  t.match(receiverUrlProblem('http://127.0.0.1:6379/', production), /https/);
  t.match(receiverUrlProblem('ftp://hooks.example.com/', development), /https/);
  t.match(receiverUrlProblem('file:///etc/passwd', development), /https/);
  t.match(receiverUrlProblem('https://user:pass@hooks.example.com/', production), /credentials/);
  t.match(receiverUrlProblem('not a url', production), /absolute URL/);
});

t.test('the development flag allows http and loopback, and nothing else that is not public', async (t) => {
  t.equal(receiverUrlProblem('http://127.0.0.1:4000/hook', development), null);
  t.equal(receiverUrlProblem('http://[::1]:4000/hook', development), null);
  t.equal(receiverUrlProblem('http://[::ffff:127.0.0.1]:4000/hook', development), null);
  for (const url of ['http://169.254.169.254/', 'http://10.0.0.1/', 'http://100.100.100.200/', 'http://[fd00::1]/', 'http://0.0.0.0/']) {
    t.match(receiverUrlProblem(url, development), /non-public/, `${url} stays refused`);
  }
});

t.test('resolved addresses: only public unicast, IPv4-mapped judged as the IPv4 it carries', async (t) => {
  for (const a of ['127.0.0.1', '127.8.8.8', '::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '10.1.2.3', '169.254.169.254', '100.100.100.200', 'fd12::1', 'fe80::1%eth0', '0.0.0.0', '::', '224.0.0.251', '255.255.255.255', '::7f00:1', '64:ff9b::a9fe:a9fe', 'not-an-address']) {
    t.equal(addressAllowed(a, production), false, `${a} refused`);
  }
  for (const a of ['8.8.8.8', '2001:4860:4860::8888', '::ffff:8.8.8.8', '58.211.1.1']) t.equal(addressAllowed(a, production), true, `${a} allowed`);
  t.equal(addressAllowed('127.0.0.1', development), true, 'loopback with the development flag');
  t.equal(addressAllowed('::ffff:127.0.0.1', development), true);
  t.equal(addressAllowed('169.254.169.254', development), false, 'metadata never');
});
