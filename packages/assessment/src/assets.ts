import { createRequire } from 'node:module';

/** Where the ECharts browser build lives, so a service can serve it itself (the network may be closed). */
export function echartsBrowserBuild(): string {
  return createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
}
