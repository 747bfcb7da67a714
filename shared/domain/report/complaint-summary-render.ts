/**
 * The weekly complaint summary (complaint-summary.ts) as plain text and as email-safe HTML, zh and
 * en. Its description column is already masked by the model.
 */
import { COMMENT_CATEGORY_LABELS } from '../comment-words.js';
import type { ComplaintSummary } from './complaint-summary.js';
import { escapeHtml as e } from './format.js';
import type { Language } from './labels.js';

/** The summary's words, zh and en. */
export const SUMMARY_WORDS = {
  zh: {
    subject: (week: string) => `投诉每周汇总 · ${week}`,
    period: '统计周期',
    new: '本周新增',
    resolved: '本周解决',
    escalated: '本周升级',
    open: '当前未结',
    unresolved: '未解决',
    overdue: '已超时',
    byCategory: '按类别',
    byTeam: '按团队',
    oldest: '最早未解决的投诉',
    surges: '本周投诉激增（72小时内专项评估）',
    surgeLine: (n: number, mean: string) => `24小时${n}起，此前日均${mean}起`,
    incomplete: '未结投诉过多，以上为下限',
    headers: ['编号', '类别', '团队', '状态', '登记时间', '已开天数', '超时', '描述(已脱敏)'],
    yes: '是',
    no: '否',
    none: '无',
  },
  en: {
    subject: (week: string) => `Weekly complaint summary · ${week}`,
    period: 'Period',
    new: 'New this week',
    resolved: 'Resolved this week',
    escalated: 'Escalated this week',
    open: 'Open now',
    unresolved: 'unresolved',
    overdue: 'overdue',
    byCategory: 'by category',
    byTeam: 'by team',
    oldest: 'Oldest unresolved complaints',
    surges: 'Surges this week (special assessment within 72 h)',
    surgeLine: (n: number, mean: string) => `${n} in 24 h, daily mean before ${mean}`,
    incomplete: 'More open complaints than one read covers: the open figures are a lower bound',
    headers: ['Id', 'Category', 'Team', 'Status', 'Registered', 'Days open', 'Overdue', 'Description (masked)'],
    yes: 'yes',
    no: 'no',
    none: 'none',
  },
} as const;

const categoryLabel = (language: Language, category: string) =>
  (COMMENT_CATEGORY_LABELS[language] as Record<string, string>)[category] ?? category;

function breakdown(language: Language, values: Record<string, number>, label = (key: string) => key): string {
  const entries = Object.entries(values);
  return entries.length ? entries.map(([key, n]) => `${label(key)} ${n}`).join(', ') : SUMMARY_WORDS[language].none;
}

export function complaintSummaryText(summary: ComplaintSummary, language: Language): string {
  const w = SUMMARY_WORDS[language];
  const cat = (key: string) => categoryLabel(language, key);
  const flow = (
    title: string,
    figures: { count: number; byCategory: Record<string, number>; byTeam: Record<string, number> },
  ) => [
    `${title}: ${figures.count}`,
    `  ${w.byCategory}: ${breakdown(language, figures.byCategory, cat)}`,
    `  ${w.byTeam}: ${breakdown(language, figures.byTeam)}`,
  ];
  return [
    w.subject(summary.week),
    `${w.period}: ${summary.period.from} – ${summary.period.to} (${summary.period.timezone})`,
    '',
    ...flow(w.new, summary.new),
    ...flow(w.resolved, summary.resolved),
    ...flow(w.escalated, summary.escalated),
    `${w.open}: ${summary.open.count} (${w.unresolved} ${summary.open.unresolved}, ${w.overdue} ${summary.open.overdue})`,
    `  ${w.byCategory}: ${breakdown(language, summary.open.byCategory, cat)}`,
    `  ${w.byTeam}: ${breakdown(language, summary.open.byTeam)}`,
    ...(summary.open.complete ? [] : [`  (${w.incomplete})`]),
    '',
    `${w.surges}: ${summary.surges.length || w.none}`,
    ...summary.surges.map(
      (x) =>
        `- ${x.day} · ${cat(x.category)} · ${w.surgeLine(x.last24h, x.dailyMean.toFixed(1))} · ${x.status} · ${x.id} → ${x.improvementId}`,
    ),
    '',
    `${w.oldest}:`,
    ...summary.open.oldest.map(
      (c) =>
        `- ${c.id} · ${cat(c.category)} · ${c.team} · ${c.status} · ${c.registeredAt} · ${c.daysOpen} d${c.breached ? ` · ${w.overdue}` : ''} · ${c.description}`,
    ),
  ].join('\n');
}

const CELL = 'padding:4px 8px;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top';

export function complaintSummaryHtml(summary: ComplaintSummary, language: Language): string {
  const w = SUMMARY_WORDS[language];
  const cat = (key: string) => categoryLabel(language, key);
  const flow = (
    title: string,
    figures: { count: number; byCategory: Record<string, number>; byTeam: Record<string, number> },
  ) =>
    `<tr><th scope="row" style="${CELL}">${e(title)}</th><td style="${CELL}">${figures.count}</td><td style="${CELL}">${e(
      breakdown(language, figures.byCategory, cat),
    )}</td><td style="${CELL}">${e(breakdown(language, figures.byTeam))}</td></tr>`;
  const rows = summary.open.oldest
    .map(
      (c) =>
        `<tr>${[
          c.id,
          cat(c.category),
          c.team,
          c.status,
          c.registeredAt,
          String(c.daysOpen),
          c.breached ? w.yes : w.no,
          c.description,
        ]
          .map((v) => `<td style="${CELL}">${e(v)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${e(w.subject(summary.week))}</title></head><body style="font-family:sans-serif;color:#1f2328">
<h1 style="font-size:20px">${e(w.subject(summary.week))}</h1>
<p>${e(w.period)}: ${e(summary.period.from)} – ${e(summary.period.to)} (${e(summary.period.timezone)})</p>
<table role="table" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:14px"><tbody>
${flow(w.new, summary.new)}${flow(w.resolved, summary.resolved)}${flow(w.escalated, summary.escalated)}
<tr><th scope="row" style="${CELL}">${e(w.open)}</th><td style="${CELL}">${summary.open.count}</td><td style="${CELL}">${e(
    breakdown(language, summary.open.byCategory, cat),
  )}</td><td style="${CELL}">${e(`${w.unresolved} ${summary.open.unresolved} · ${w.overdue} ${summary.open.overdue} · ${breakdown(language, summary.open.byTeam)}`)}</td></tr>
</tbody></table>${summary.open.complete ? '' : `<p>${e(w.incomplete)}</p>`}
<h2 style="font-size:16px">${e(w.surges)}</h2>
${summary.surges.length ? `<ul>${summary.surges.map((x) => `<li>${e(`${x.day} · ${cat(x.category)} · ${w.surgeLine(x.last24h, x.dailyMean.toFixed(1))} · ${x.status} · ${x.id} → ${x.improvementId}`)}</li>`).join('')}</ul>` : `<p>${e(w.none)}</p>`}
<h2 style="font-size:16px">${e(w.oldest)}</h2>
${rows ? `<table role="table" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:14px"><thead><tr>${w.headers.map((h) => `<th scope="col" style="${CELL}">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>` : `<p>${e(w.none)}</p>`}
</body></html>`;
}
