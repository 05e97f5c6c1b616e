import { piiAuditRegionBackfill20261208 } from '@reemploy/http-kit';

/** The employers named in audit entries and stored answers from before the region column, by their community. */
export const { up, down } = piiAuditRegionBackfill20261208('employer', 'employers');
