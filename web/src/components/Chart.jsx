import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, BarChart, SankeyChart } from 'echarts/charts';
import {
  GridComponent, TooltipComponent, LegendComponent, DataZoomComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart, BarChart, SankeyChart, GridComponent, TooltipComponent, LegendComponent,
  DataZoomComponent, CanvasRenderer,
]);

export const PALETTE = [
  '#1f6feb', '#12a37f', '#f08c00', '#d6336c', '#7048e8',
  '#0c8599', '#e8590c', '#5c940d', '#ae3ec9', '#495057',
];

// Minimal ECharts wrapper: canvas renderer, resizes with its container,
// replaces the option when it changes, disposes on unmount.
export default function Chart({ option, height = 300, testId, className, onClick }) {
  const ref = useRef(null);
  const chartRef = useRef(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const chart = echarts.init(ref.current, null, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('click', (params) => { if (clickRef.current) clickRef.current(params); });
    let ro = null;
    if (typeof ResizeObserver !== 'undefined') {
      ro = new ResizeObserver(() => chart.resize());
      ro.observe(ref.current);
    }
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      if (ro) ro.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (chartRef.current && option) {
      chartRef.current.setOption({ color: PALETTE, ...option }, true);
    }
  }, [option]);

  return (
    <div
      ref={ref}
      className={className ? `chart ${className}` : 'chart'}
      style={{ height, width: '100%' }}
      data-testid={testId}
    />
  );
}
