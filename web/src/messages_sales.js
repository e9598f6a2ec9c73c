// UI strings of the sales workspace pages (accounts, contacts, visits, follow-ups,
// feedback) and the generic record tables and forms.
export const zhSales = {
  'nav.groupSales': '销售',
  'nav.accounts': '客户',
  'nav.contacts': '联系人',
  'nav.visits': '拜访',
  'nav.followUps': '跟进待办',
  'nav.feedback': '需求反馈',
};

export const enSales = {
  'nav.groupSales': 'Sales',
  'nav.accounts': 'Accounts',
  'nav.contacts': 'Contacts',
  'nav.visits': 'Visits',
  'nav.followUps': 'Follow-ups',
  'nav.feedback': 'Feedback',
};
