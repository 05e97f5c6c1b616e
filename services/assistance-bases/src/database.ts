import type { MessagingTables } from '@reemploy/messaging';

export type AssistanceBasesDB = MessagingTables;
