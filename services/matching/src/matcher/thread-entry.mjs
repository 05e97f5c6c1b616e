// The ranking thread's entry point. A thread inherits the TypeScript loader when the
// process was started with `node --import tsx` (or a test runner's loader), but not under
// the `tsx` command, which registers its loader differently: then register it here.
try {
  await import('./thread.ts');
} catch (err) {
  if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  const { register } = await import('tsx/esm/api');
  register();
  // The failed import stays cached under its URL: load the module under another one.
  await import('./thread.ts?loader=tsx');
}
