// UI strings of the customer-success, partner and planning pages: renewals (calendar,
// at-risk list), playbooks and tasks, partners and their points ledger, goals, strategies.
export const zhSuccess = {
  'nav.groupSuccess': '客户成功与伙伴',
  'nav.renewals': '续约',
  'nav.playbooks': '运营剧本',
  'nav.tasks': '任务',
  'nav.partners': '合作伙伴',
  'nav.goals': '目标',
  'nav.strategies': '策略',
};

export const enSuccess = {
  'nav.groupSuccess': 'Success & partners',
  'nav.renewals': 'Renewals',
  'nav.playbooks': 'Playbooks',
  'nav.tasks': 'Tasks',
  'nav.partners': 'Partners',
  'nav.goals': 'Goals',
  'nav.strategies': 'Strategies',
};
