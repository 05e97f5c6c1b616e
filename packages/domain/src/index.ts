export * from './enums.ts';
export * from './age.ts';
export * from './id-number.ts';
export * from './phone.ts';
