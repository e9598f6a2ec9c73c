// Registers the ECharts parts the marketing pages need beyond components/Chart.jsx
// (pie for shares, scatter for the measures map, mark lines / areas for its
// quadrants). echarts/core is one module instance, so registering here makes
// them available to <Chart>; import this file before drawing such options.
import * as echarts from 'echarts/core';
import { PieChart, ScatterChart } from 'echarts/charts';
import { MarkAreaComponent, MarkLineComponent } from 'echarts/components';

echarts.use([PieChart, ScatterChart, MarkAreaComponent, MarkLineComponent]);

export const AXIS = { color: '#5b6675' };
export const SPLIT = { lineStyle: { color: '#eef1f5' } };
