// UI strings of the marketing pages: campaigns and their post-mortems, leads, the
// measures map, content, the monthly content report and the case library.
export const zhMarketing = {
  'nav.groupMarketing': '市场',
  'nav.campaigns': '活动',
  'nav.leads': '线索',
  'nav.measuresMap': '举措地图',
  'nav.content': '内容',
  'nav.contentReport': '内容月报',
  'nav.caseLibrary': '案例库',
};

export const enMarketing = {
  'nav.groupMarketing': 'Marketing',
  'nav.campaigns': 'Campaigns',
  'nav.leads': 'Leads',
  'nav.measuresMap': 'Measures map',
  'nav.content': 'Content',
  'nav.contentReport': 'Content report',
  'nav.caseLibrary': 'Case library',
};
