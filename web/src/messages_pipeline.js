// UI strings of the pipeline pages (board, forecast, opportunities, the opportunity
// page with its decision-chain map and brief) and the weekly report.
export const zhPipeline = {
  'nav.pipeline': '商机看板',
  'nav.opportunities': '商机',
  'nav.weeklyReport': '周报',
};

export const enPipeline = {
  'nav.pipeline': 'Pipeline',
  'nav.opportunities': 'Opportunities',
  'nav.weeklyReport': 'Weekly report',
};
