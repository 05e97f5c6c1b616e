import type { MessagingTables } from '@reemploy/messaging';

export type JobPostingsDB = MessagingTables;
