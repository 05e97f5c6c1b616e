import { inRegions, problems, type Caller } from '@reemploy/http-kit';

/**
 * Whether the caller may see a base: inside its regions and, for a base's own
 * systems (the `aidBase` claim), only that base. Anything else reads as absent.
 */
export function canSeeBase(caller: Caller, base: { id: string; community_code: string }): boolean {
  if (caller.aidBase && caller.aidBase !== base.id) return false;
  return inRegions(caller, base.community_code);
}

/** Registering or importing bases is the city's business, not a base's. */
export function assertCityCaller(caller: Caller): void {
  if (caller.aidBase) throw problems.forbidden("A base's own token cannot register bases");
}
