export * from './enums.ts';
export * from './calendar.ts';
export * from './age.ts';
export * from './retirement.ts';
export * from './id-number.ts';
export * from './phone.ts';
