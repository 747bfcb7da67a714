/**
 * The demo staff directory: the 24 agents the demo contacts and complaints name (A-01…A-24),
 * a supervisor per team, a department head, a manager and an admin, each with a contact for
 * their own deadline warnings. Fixed (no random draws), so the rest of the demo data is unchanged.
 */
import { saveStaffMember } from '../../../functions/staff/service.js';
import type { Actor } from '../../../shared/domain/access.js';
import type { PutStaffBody } from '../../../shared/schemas/staff.js';

const GIVEN_NAMES = [
  '李娜',
  '王芳',
  '张伟',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄涛',
  '周婷',
  '吴斌',
  '徐丽',
  '孙浩',
  '马超',
  '朱琳',
  '胡军',
  '郭燕',
  '何勇',
  '林霞',
  '高峰',
  '罗雪',
  '郑凯',
  '梁慧',
  '谢鹏',
  '宋佳',
];

/** The team an agent works in: the demo's hotline, online and store teams. */
export const demoAgentTeam = (n: number) => (n <= 8 ? 'hotline' : n <= 18 ? 'online' : 'stores');
export const demoAgentId = (n: number) => `A-${String(n).padStart(2, '0')}`;

export function demoStaff(): Array<[string, PutStaffBody]> {
  const agents = GIVEN_NAMES.map((name, i): [string, PutStaffBody] => [
    demoAgentId(i + 1),
    {
      name,
      team: demoAgentTeam(i + 1),
      roles: ['agent'],
      email: `agent${String(i + 1).padStart(2, '0')}@careloop.example.com`,
      phone: `+86139000001${String(i + 1).padStart(2, '0')}`,
      active: true,
    },
  ]);
  const supervisors = (
    [
      ['hotline', '韩冰'],
      ['online', '冯雷'],
      ['stores', '董倩'],
    ] as const
  ).map(([team, name], i): [string, PutStaffBody] => [
    `S-${team}`,
    {
      name,
      team,
      roles: ['supervisor'],
      email: `supervisor.${team}@careloop.example.com`,
      phone: `+86139000002${String(i + 1).padStart(2, '0')}`,
      active: true,
    },
  ]);
  return [
    ...agents,
    ...supervisors,
    ['M-head', { name: '曹敏', roles: ['manager'], email: 'service.head@careloop.example.com', active: true }],
    ['M-quality', { name: '彭宇', roles: ['manager'], email: 'quality@careloop.example.com', active: true }],
    ['director', { name: '袁静', roles: ['admin'], email: 'director@careloop.example.com', active: true }],
  ];
}

export async function seedStaff(now: Date, actor: Actor): Promise<number> {
  const staff = demoStaff();
  await Promise.all(staff.map(([id, body]) => saveStaffMember(id, body, actor, now)));
  return staff.length;
}
