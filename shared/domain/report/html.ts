/**
 * The report as HTML. `web` is the page served by the API (inline SVG charts); `email` is
 * the same content for mail clients: table layout, inline styles, no scripts, no SVG
 * (Gmail and Outlook drop it), bars drawn with table cells.
 */

import { decimal, duration, escapeHtml as e, kpiValue, percent } from './format.js';
import { CATEGORY_LABELS, LABELS, type Language } from './labels.js';
import { ARROWS, changeBetween, type PeriodReport } from './model.js';

const COLORS = {
  green: '#1a7f37',
  amber: '#b7791f',
  red: '#c62828',
  grey: '#8a8f98',
  ink: '#1f2328',
  line: '#d0d7de',
  accent: '#0969da',
};
const FONT = "font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',Helvetica,Arial,sans-serif";
const CELL = `padding:6px 10px;border-bottom:1px solid ${COLORS.line};text-align:left;vertical-align:top`;
const HEAD = `${CELL};background:#f6f8fa;font-weight:600`;

type Variant = 'web' | 'email';

function table(headers: string[], rows: string[][], caption?: string): string {
  if (rows.length === 0) return `<p style="color:${COLORS.grey}">—</p>`;
  return `<table role="table" cellpadding="0" cellspacing="0" width="100%" style="border-collapse:collapse;margin:8px 0 16px;font-size:14px">${
    caption ? `<caption style="text-align:left;font-weight:600;padding:4px 0">${e(caption)}</caption>` : ''
  }<thead><tr>${headers.map((h) => `<th scope="col" style="${HEAD}">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td style="${CELL}">${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const chip = (status: string | null, label: string) =>
  status
    ? `<span style="display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;background:${COLORS[status as 'green'] ?? COLORS.grey};font-size:12px">${e(label)}</span>`
    : '—';

const arrow = (change: keyof typeof ARROWS | null) =>
  change
    ? `<span style="color:${change === 'up' ? COLORS.green : change === 'down' ? COLORS.red : COLORS.grey}">${ARROWS[change]}</span>`
    : '—';

/** A horizontal bar made of table cells: renders in every mail client. */
function cellBar(share: number | null, color: string): string {
  if (share === null) return '—';
  const width = Math.max(1, Math.round(share * 100));
  return `<table cellpadding="0" cellspacing="0" width="100%" style="border-collapse:collapse"><tr><td width="${width}%" style="background:${color};height:10px;font-size:0;line-height:0">&nbsp;</td>${
    width < 100 ? `<td style="background:#eef1f4;height:10px;font-size:0;line-height:0">&nbsp;</td>` : ''
  }</tr></table>`;
}

function trendSvg(report: PeriodReport, l: (typeof LABELS)['en']): string {
  const width = 560;
  const height = 200;
  const pad = { left: 40, right: 40, top: 20, bottom: 30 };
  const points = report.trend;
  const x = (i: number) =>
    pad.left + (points.length <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (points.length - 1));
  const yShare = (v: number) => pad.top + (1 - v) * (height - pad.top - pad.bottom);
  const yNps = (v: number) => pad.top + ((100 - v) / 200) * (height - pad.top - pad.bottom);
  const line = (values: Array<number | null>, y: (v: number) => number) =>
    values
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter(Boolean)
      .join(' ');
  const shares = points.map((p) => p.satisfiedShare);
  const nps = points.map((p) => p.nps);
  const dots = (values: Array<number | null>, y: (v: number) => number, color: string) =>
    values
      .map((v, i) =>
        v === null
          ? ''
          : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${color}"><title>${points[i]?.month ?? ''}</title></circle>`,
      )
      .join('');
  return `<svg role="img" aria-label="${e(l.trend)}" data-chart="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">
<line x1="${pad.left}" y1="${yShare(0)}" x2="${width - pad.right}" y2="${yShare(0)}" stroke="${COLORS.line}"/>
<line x1="${pad.left}" y1="${yShare(1)}" x2="${width - pad.right}" y2="${yShare(1)}" stroke="${COLORS.line}" stroke-dasharray="3 3"/>
<text x="4" y="${yShare(1) + 4}" font-size="11" fill="${COLORS.accent}">100%</text><text x="4" y="${yShare(0) + 4}" font-size="11" fill="${COLORS.accent}">0%</text>
<text x="${width - pad.right + 4}" y="${yNps(100) + 4}" font-size="11" fill="${COLORS.amber}">+100</text><text x="${width - pad.right + 4}" y="${yNps(-100) + 4}" font-size="11" fill="${COLORS.amber}">−100</text>
<polyline fill="none" stroke="${COLORS.accent}" stroke-width="2.5" points="${line(shares, yShare)}"/>${dots(shares, yShare, COLORS.accent)}
<polyline fill="none" stroke="${COLORS.amber}" stroke-width="2.5" stroke-dasharray="6 4" points="${line(nps, yNps)}"/>${dots(nps, yNps, COLORS.amber)}
${points.map((p, i) => `<text x="${x(i).toFixed(1)}" y="${height - 8}" font-size="11" text-anchor="middle" fill="${COLORS.ink}">${p.month}</text>`).join('')}
<text x="${pad.left}" y="12" font-size="12" fill="${COLORS.accent}">— ${e(l.satisfiedShare)}</text><text x="${width / 2}" y="12" font-size="12" fill="${COLORS.amber}">- - NPS</text>
</svg>`;
}

function npsSvg(report: PeriodReport, l: (typeof LABELS)['en']): string {
  const { promoters, passives, detractors } = report.nps;
  const total = promoters + passives + detractors;
  if (total === 0) return `<p style="color:${COLORS.grey}">—</p>`;
  const width = 560;
  const parts = [
    { label: l.promoters, value: promoters, color: COLORS.green },
    { label: l.passives, value: passives, color: COLORS.grey },
    { label: l.detractors, value: detractors, color: COLORS.red },
  ];
  let offset = 0;
  const bars = parts
    .map((p) => {
      const w = (p.value / total) * width;
      const rect = `<rect x="${offset.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="28" fill="${p.color}"><title>${e(p.label)}: ${p.value}</title></rect>${
        w > 60
          ? `<text x="${(offset + w / 2).toFixed(1)}" y="19" font-size="12" text-anchor="middle" fill="#fff">${percent(p.value / total, 0)}</text>`
          : ''
      }`;
      offset += w;
      return rect;
    })
    .join('');
  const legend = parts
    .map(
      (p, i) =>
        `<rect x="${i * 150}" y="38" width="10" height="10" fill="${p.color}"/><text x="${i * 150 + 14}" y="47" font-size="12" fill="${COLORS.ink}">${e(p.label)} ${p.value}</text>`,
    )
    .join('');
  return `<svg role="img" aria-label="${e(l.nps)}" data-chart="nps" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 52" width="100%" style="max-width:${width}px">${bars}${legend}</svg>`;
}

function npsCells(report: PeriodReport, l: (typeof LABELS)['en']): string {
  const { promoters, passives, detractors } = report.nps;
  const total = promoters + passives + detractors;
  if (total === 0) return '';
  const cells = [
    [promoters, COLORS.green, l.promoters],
    [passives, COLORS.grey, l.passives],
    [detractors, COLORS.red, l.detractors],
  ] as const;
  return `<table cellpadding="0" cellspacing="0" width="100%" style="border-collapse:collapse;margin:6px 0"><tr>${cells
    .filter(([n]) => n > 0)
    .map(
      ([n, color, label]) =>
        `<td width="${Math.round((n / total) * 100)}%" style="background:${color};color:#fff;font-size:12px;padding:4px;text-align:center">${e(label)} ${percent(n / total, 0)}</td>`,
    )
    .join('')}</tr></table>`;
}

type Labels = (typeof LABELS)['en'];

/** What every section renders from: the report, its labels, and whether it is the web page or the email. */
interface SectionContext {
  report: PeriodReport;
  l: Labels;
  categories: (typeof CATEGORY_LABELS)['en'];
  web: boolean;
}

/** The month at a glance: volumes, response rate, CSAT, satisfied share, NPS. */
function overviewSection({ report, l }: SectionContext): string {
  return table(
    [l.period, l.interactions, l.complaints, l.responses, l.responseRate, l.csat, l.satisfiedShare, l.nps],
    [
      [
        `<span style="white-space:nowrap">${e(report.period.from)}</span> – <span style="white-space:nowrap">${e(report.period.to)}</span>`,
        String(report.overview.interactions),
        String(report.overview.complaints),
        String(report.overview.validResponses),
        percent(report.overview.responseRate),
        `${decimal(report.satisfaction.csat)} ${arrow(changeBetween(report.satisfaction.csat, report.satisfaction.previousCsat, 0.05))}`,
        `${percent(report.satisfaction.satisfiedShare)} ${arrow(report.satisfaction.change)}`,
        `${decimal(report.nps.score, 1)} ${arrow(report.nps.change)}`,
      ],
    ],
  );
}

/** KPIs off target, with their owner. */
function shortfallsSection({ report, l }: SectionContext): string {
  const kpiName = (name: string) => l.kpis[name as keyof typeof l.kpis] ?? name;
  const statusLabel = (status: string | null) => chip(status, status ? l.statuses[status as 'green'] : '');
  return table(
    [l.kpi, l.value, l.target, l.status, l.owner],
    report.shortfalls.map((k) => [
      e(kpiName(k.name)),
      kpiValue(k.name, k.value),
      kpiValue(k.name, k.target),
      statusLabel(k.status),
      e(k.owner),
    ]),
  );
}

/** Each dimension: average, satisfied share (with a bar in email), change. */
function satisfactionSection({ report, l, web }: SectionContext): string {
  return table(
    [l.dimension, l.average, l.satisfiedShare, l.change],
    report.satisfaction.dimensions.map((d) => [
      e(l.dimensions[d.dimension]),
      decimal(d.average),
      web ? percent(d.satisfiedShare) : `${percent(d.satisfiedShare)}${cellBar(d.satisfiedShare, COLORS.accent)}`,
      `${arrow(d.change)} ${d.previousSatisfiedShare === null ? '' : `<span style="color:${COLORS.grey};font-size:12px">(${percent(d.previousSatisfiedShare)})</span>`}`,
    ]),
  );
}

/** NPS with its change and its promoter/passive/detractor split (a chart on the web, cells in email). */
function npsSection({ report, l, web }: SectionContext): string {
  return `<p style="margin:4px 0"><strong style="font-size:28px">${decimal(report.nps.score, 1)}</strong> ${arrow(report.nps.change)} <span style="color:${COLORS.grey}">(${decimal(report.nps.previousScore, 1)})</span></p>${
    web ? npsSvg(report, l) : npsCells(report, l)
  }`;
}

/** Complaint milestones: in-time shares, escalations, recurrence, second-round satisfaction. */
function complaintsSection({ report, l }: SectionContext): string {
  return table(
    [l.complaints, l.respondedInTime, l.solutionInTime, l.closedInTime, l.escalations, l.recurrenceRate, l.secondRound],
    [
      [
        String(report.complaints.count),
        percent(report.complaints.respondedInTimeShare),
        percent(report.complaints.solutionInTimeShare),
        percent(report.complaints.closedInTimeShare),
        String(report.complaints.escalations),
        percent(report.complaints.recurrenceRate),
        percent(report.complaints.secondRoundSatisfiedShare),
      ],
    ],
  );
}

/** Service efficiency per channel: first response within target, p50/p90, resolution within target. */
function serviceEfficiencySection({ report, l }: SectionContext): string {
  return table(
    [l.channel, l.interactions, l.firstResponseWithinTarget, l.p50, l.p90, l.resolutionWithinTarget],
    report.serviceEfficiency.map((c) => [
      e(l.channels[c.channel as keyof typeof l.channels] ?? c.channel),
      String(c.interactions),
      `${percent(c.firstResponseWithinTargetShare)}${cellBar(c.firstResponseWithinTargetShare, COLORS.accent)}`,
      duration(c.p50Seconds),
      duration(c.p90Seconds),
      percent(c.resolutionWithinTargetShare),
    ]),
  );
}

/** The most frequent problem categories, each with up to two of the customers' own (masked) words. */
function topProblemsSection({ report, l, categories }: SectionContext): string {
  return table(
    [l.category, l.count, l.share, l.examples],
    report.topProblems.map((p) => [
      e(categories[p.category] ?? p.category),
      String(p.count),
      percent(p.share),
      (p.examples ?? []).length
        ? (p.examples ?? [])
            .map(
              (x) =>
                `<blockquote style="margin:0 0 6px;padding-left:8px;border-left:3px solid ${COLORS.line}">“${e(x.text)}”<br><span style="color:${COLORS.grey};font-size:12px">${e(
                  [
                    x.day,
                    l.channels[x.channel as keyof typeof l.channels] ?? x.channel,
                    x.lowestScore === null ? '' : l.exampleScore(String(x.lowestScore)),
                  ]
                    .filter(Boolean)
                    .join(' · '),
                )}</span></blockquote>`,
            )
            .join('')
        : '—',
    ]),
  );
}

/** The causes Paretos (s000/s002 原因分析), each large cause with the open actions on it or a red "none". */
function causesSection({ report, l }: SectionContext): string {
  const pareto = (title: string, rows: PeriodReport['causes']['complaints']) =>
    rows.total === 0
      ? ''
      : table(
          [l.causeKind, l.count, l.share, l.causeActions],
          rows.items.map((c) => [
            `${c.large ? '<strong>' : ''}${e(l.causeKinds[c.kind] ?? c.kind)}${c.large ? '</strong>' : ''}`,
            String(c.count),
            percent(c.share),
            c.improvements.length
              ? c.improvements.map((i) => e(i.problem)).join('<br>')
              : c.large
                ? `<span style="color:${COLORS.red}">${e(l.causeNoAction)}</span>`
                : '—',
          ]),
          title,
        );
  const html = pareto(l.causeComplaints, report.causes.complaints) + pareto(l.causeMisses, report.causes.misses);
  return html || `<p style="color:${COLORS.grey}">${e(l.none)}</p>`;
}

/** Improvement actions, overdue ones marked. */
function improvementsSection({ report, l }: SectionContext): string {
  return report.improvements.length === 0
    ? `<p style="color:${COLORS.grey}">${e(l.none)}</p>`
    : table(
        [l.problem, l.measure, l.department, l.dueDate, l.status],
        report.improvements.map((i) => [
          e(i.problem),
          e(i.measure),
          e(i.department),
          e(i.dueDate),
          `${e(l.improvementStatus[i.status] ?? i.status)}${i.overdue ? ` <strong style="color:${COLORS.red}">(${e(l.overdue)})</strong>` : ''}`,
        ]),
      );
}

/** Six months of satisfaction, NPS and volumes (with a chart on the web). */
function trendSection({ report, l, web }: SectionContext): string {
  return `${web ? trendSvg(report, l) : ''}${table(
    [l.month, l.csat, l.satisfiedShare, l.nps, l.responses, l.complaints],
    report.trend.map((t) => [
      `<span style="white-space:nowrap">${e(t.month)}</span>`,
      decimal(t.csat),
      percent(t.satisfiedShare),
      decimal(t.nps, 1),
      String(t.responses),
      String(t.complaints),
    ]),
  )}`;
}

/** The findings written from the data, as sentences. */
function findingsSection({ report, l }: SectionContext): string {
  const kpiName = (name: string) => l.kpis[name as keyof typeof l.kpis] ?? name;
  const sentences = report.findings.map((f) => {
    if (f.kind === 'red') return l.findingRed(kpiName(f.kpi), kpiValue(f.kpi, f.value), kpiValue(f.kpi, f.target));
    if (f.kind === 'change')
      return l.findingChange(kpiName(f.kpi), kpiValue(f.kpi, f.previous), kpiValue(f.kpi, f.value), f.better);
    return l.findingFocus(
      l.dimensions[f.dimension as keyof typeof l.dimensions] ?? f.dimension,
      decimal(f.average),
      decimal(f.csi),
      f.subIndicator ? `${f.subIndicator} (CSI ${decimal(f.subIndicatorCsi ?? 0)})` : undefined,
    );
  });
  if (sentences.length === 0) return `<p style="color:${COLORS.grey}">—</p>`;
  return `<ul data-section="findings" style="margin:8px 0 16px;padding-left:20px">${sentences
    .map((text) => `<li style="margin:4px 0">${e(text)}</li>`)
    .join('')}</ul>`;
}

/** The same figures per team. */
function teamsSection({ report, l }: SectionContext): string {
  return table(
    [l.team, l.interactions, l.firstResponseWithinTarget, l.kpis.firstContactResolution, l.csat, l.nps, l.complaints],
    report.teams.map((t) => [
      e(t.team),
      String(t.interactions),
      percent(t.firstResponseWithinTargetShare),
      percent(t.firstContactResolutionShare),
      decimal(t.csat),
      decimal(t.nps, 1),
      String(t.complaints),
    ]),
  );
}

/** Contacts that missed a target, by the reason recorded for it. */
function overdueReasonsSection({ report, l }: SectionContext): string {
  return table(
    [l.reason, l.count],
    Object.entries(report.overdueReasons).map(([reason, count]) => [
      e(l.overdueReasonNames[reason] ?? reason),
      String(count),
    ]),
  );
}

/** Goals with baseline, target, where they should be now and are, and status (s000/s004 目标). */
function goalsSection({ report, l }: SectionContext): string {
  const goals = report.goals ?? [];
  if (goals.length === 0) return `<p style="color:${COLORS.grey}">${e(l.none)}</p>`;
  const kpiName = (name: string) => l.kpis[name as keyof typeof l.kpis] ?? name;
  const tone: Record<string, string> = { on_track: 'green', achieved: 'green', at_risk: 'amber', missed: 'red' };
  return table(
    [l.goal, l.kpi, l.baselineValue, l.target, l.by, l.expectedNow, l.current, l.status, l.owner],
    goals.map((g) => [
      e(g.name ?? g.id),
      e([kpiName(g.kpi), g.scope.team, g.scope.channel].filter(Boolean).join(' · ')),
      kpiValue(g.kpi, g.baselineValue),
      kpiValue(g.kpi, g.targetValue),
      `<span style="white-space:nowrap">${e(g.by)}</span>`,
      kpiValue(g.kpi, g.expectedNow),
      kpiValue(g.kpi, g.current),
      chip(tone[g.status] ?? null, l.goalStatuses[g.status] ?? g.status),
      e(g.owner),
    ]),
  );
}

const QUADRANT_COLORS: Record<string, string> = {
  fix_first: COLORS.red,
  keep_up: COLORS.green,
  watch: COLORS.amber,
  low_priority: COLORS.grey,
};

/**
 * The importance × score quadrant (web only): across, the dimension's score (CSI 0–10); up, its r with
 * overall; the lines at the medians the quadrants are cut by. Top left is "fix first". The table
 * below it carries the same figures for readers who do not see the chart (and for email).
 */
function driversSvg(items: PeriodReport['drivers']['items'], l: Labels): string {
  const ranked = items.filter((d) => d.r !== null && d.csi !== null) as Array<
    PeriodReport['drivers']['items'][number] & { r: number; csi: number }
  >;
  if (ranked.length === 0) return '';
  const width = 560;
  const height = 300;
  const pad = { left: 48, right: 20, top: 20, bottom: 40 };
  const rMin = Math.min(0, ...ranked.map((d) => d.r));
  const x = (score: number) => pad.left + (score / 10) * (width - pad.left - pad.right);
  const y = (r: number) => pad.top + ((1 - r) / (1 - rMin || 1)) * (height - pad.top - pad.bottom);
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const rCut = median(ranked.map((d) => d.r));
  const scoreCut = median(ranked.map((d) => d.csi));
  const name = (dimension: string) => l.dimensions[dimension as keyof typeof l.dimensions] ?? dimension;
  const fixFirst = ranked.filter((d) => d.quadrant === 'fix_first').map((d) => name(d.dimension));
  const corner = (text: string, cx: number, cy: number, anchor: string) =>
    `<text x="${cx.toFixed(1)}" y="${cy.toFixed(1)}" font-size="11" text-anchor="${anchor}" fill="${COLORS.grey}">${e(text)}</text>`;
  const dots = ranked
    .map(
      (d) =>
        `<circle cx="${x(d.csi).toFixed(1)}" cy="${y(d.r).toFixed(1)}" r="6" fill="${QUADRANT_COLORS[d.quadrant ?? ''] ?? COLORS.grey}"><title>${e(`${name(d.dimension)}: r ${d.r}, CSI ${d.csi}`)}</title></circle><text x="${(x(d.csi) + 9).toFixed(1)}" y="${(y(d.r) + 4).toFixed(1)}" font-size="12" fill="${COLORS.ink}">${e(name(d.dimension))}</text>`,
    )
    .join('');
  return `<svg role="img" aria-label="${e(l.driversChart(fixFirst.join(', ') || '—'))}" data-chart="drivers" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">
<rect x="${pad.left}" y="${pad.top}" width="${(x(scoreCut) - pad.left).toFixed(1)}" height="${(y(rCut) - pad.top).toFixed(1)}" fill="#fdecea"/>
<line x1="${pad.left}" y1="${y(rCut).toFixed(1)}" x2="${width - pad.right}" y2="${y(rCut).toFixed(1)}" stroke="${COLORS.line}" stroke-dasharray="4 3"/>
<line x1="${x(scoreCut).toFixed(1)}" y1="${pad.top}" x2="${x(scoreCut).toFixed(1)}" y2="${height - pad.bottom}" stroke="${COLORS.line}" stroke-dasharray="4 3"/>
<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="${COLORS.ink}"/>
<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="${COLORS.ink}"/>
${corner(l.quadrants.fix_first ?? 'fix first', pad.left + 6, pad.top + 14, 'start')}${corner(l.quadrants.keep_up ?? 'keep up', width - pad.right - 6, pad.top + 14, 'end')}${corner(l.quadrants.low_priority ?? 'low priority', width - pad.right - 6, height - pad.bottom - 6, 'end')}${corner(l.quadrants.watch ?? 'watch', pad.left + 6, height - pad.bottom - 6, 'start')}
<text x="${pad.left}" y="${height - 22}" font-size="11" fill="${COLORS.ink}">0</text><text x="${width - pad.right}" y="${height - 22}" font-size="11" text-anchor="end" fill="${COLORS.ink}">10</text>
<text x="${(width / 2).toFixed(1)}" y="${height - 8}" font-size="12" text-anchor="middle" fill="${COLORS.ink}">${e(l.score)}</text>
<text x="4" y="${(y(1) + 4).toFixed(1)}" font-size="11" fill="${COLORS.ink}">1</text><text x="4" y="${(y(rMin) + 4).toFixed(1)}" font-size="11" fill="${COLORS.ink}">${rMin.toFixed(1)}</text>
<text x="14" y="${((pad.top + height - pad.bottom) / 2).toFixed(1)}" font-size="12" fill="${COLORS.ink}" transform="rotate(-90 14 ${((pad.top + height - pad.bottom) / 2).toFixed(1)})" text-anchor="middle">${e(l.importance)}</text>
${dots}
</svg>`;
}

/** Key drivers: the quadrant chart on the web, and always the table (priority, r, score, quadrant). */
function driversSection({ report, l, web }: SectionContext): string {
  const drivers = report.drivers ?? { minAnswers: 30, items: [] };
  if (drivers.items.length === 0) return `<p style="color:${COLORS.grey}">${e(l.none)}</p>`;
  const name = (dimension: string) => l.dimensions[dimension as keyof typeof l.dimensions] ?? dimension;
  const tooFew = drivers.items.every((d) => d.r === null)
    ? `<p style="color:${COLORS.grey}">${e(l.driversTooFew(drivers.minAnswers))}</p>`
    : '';
  return `${web ? driversSvg(drivers.items, l) : ''}${tooFew}${table(
    [l.priority, l.dimension, l.importance, l.score, l.responses, l.quadrant],
    drivers.items.map((d) => [
      d.priority === null ? '—' : String(d.priority),
      e(name(d.dimension)),
      d.r === null ? '—' : d.r.toFixed(3),
      decimal(d.csi),
      String(d.n),
      d.quadrant
        ? `<span style="color:${QUADRANT_COLORS[d.quadrant]}">${d.quadrant === 'fix_first' ? '<strong>' : ''}${e(l.quadrants[d.quadrant] ?? d.quadrant)}${d.quadrant === 'fix_first' ? '</strong>' : ''}</span>`
        : '—',
    ]),
  )}`;
}

/** The questionnaire's dimensions (CSI) and every sub-indicator, the lowest ones listed first. */
function subIndicatorsSection({ report, l }: SectionContext): string {
  const subs = Object.entries(report.satisfaction.subIndicators ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const lowest = report.satisfaction.lowestSubIndicators ?? [];
  const lowestNames = new Set(lowest.map((s) => s.subIndicator));
  const name = (dimension: string) => l.dimensions[dimension as keyof typeof l.dimensions] ?? dimension;
  const dimensions = table(
    [l.dimension, l.average, l.score],
    report.satisfaction.dimensions.map((d) => [e(name(d.dimension)), decimal(d.average), decimal(d.csi)]),
  );
  if (subs.length === 0) return dimensions;
  const lowestList = lowest.length
    ? `<p style="margin:8px 0"><strong>${e(l.lowestSubIndicators)}:</strong> ${lowest
        .map((s) => e(`${s.subIndicator} (CSI ${decimal(s.csi)})`))
        .join(', ')}</p>`
    : '';
  return `${dimensions}${lowestList}${table(
    [l.dimension, l.subIndicator, l.responses, l.average, l.score],
    subs.map(([key, f]) => {
      const [dimension = key, sub = ''] = key.split('.');
      const low = lowestNames.has(key);
      const mark = (text: string) => (low ? `<strong style="color:${COLORS.red}">${text}</strong>` : text);
      return [e(name(dimension)), mark(e(sub)), String(f.n), decimal(f.average), mark(decimal(f.csi))];
    }),
  )}`;
}

/** The survey campaigns of the period: response rate (s004 ≥ 15 %) and margin of error (s000 ≤ 5 %). */
function campaignsSection({ report, l }: SectionContext): string {
  const campaigns = report.campaigns ?? [];
  if (campaigns.length === 0) return `<p style="color:${COLORS.grey}">${e(l.none)}</p>`;
  return table(
    [
      l.campaign,
      l.questionnaire,
      l.window,
      l.status,
      l.audience,
      l.invited,
      l.answered,
      l.responseRate,
      l.marginOfError,
    ],
    campaigns.map((c) => [
      e(c.name),
      e(`${c.questionnaire.id} v${c.questionnaire.version}`),
      `<span style="white-space:nowrap">${e(c.window.from)}</span> – <span style="white-space:nowrap">${e(c.window.to)}</span>`,
      e(c.status),
      String(c.audience),
      String(c.invited),
      String(c.answered),
      percent(c.responseRate),
      c.marginOfError === null ? '—' : `±${percent(c.marginOfError)}`,
    ]),
  );
}

/** The sections in the order they appear, each under its title. */
const SECTIONS: Array<{ title: (l: Labels) => string; render: (context: SectionContext) => string }> = [
  { title: (l) => l.overview, render: overviewSection },
  { title: (l) => l.findings, render: findingsSection },
  { title: (l) => l.goals, render: goalsSection },
  { title: (l) => l.shortfalls, render: shortfallsSection },
  { title: (l) => l.satisfaction, render: satisfactionSection },
  { title: (l) => l.subIndicators, render: subIndicatorsSection },
  { title: (l) => l.drivers, render: driversSection },
  { title: (l) => l.nps, render: npsSection },
  { title: (l) => l.complaintMilestones, render: complaintsSection },
  { title: (l) => l.serviceEfficiency, render: serviceEfficiencySection },
  { title: (l) => l.teams, render: teamsSection },
  { title: (l) => l.overdueReasons, render: overdueReasonsSection },
  { title: (l) => l.causes, render: causesSection },
  { title: (l) => l.topProblems, render: topProblemsSection },
  { title: (l) => l.campaigns, render: campaignsSection },
  { title: (l) => l.improvements, render: improvementsSection },
  { title: (l) => l.trend, render: trendSection },
];

export function renderReportHtml(report: PeriodReport, options: { language: Language; variant: Variant }): string {
  const l = LABELS[options.language];
  const context: SectionContext = {
    report,
    l,
    categories: CATEGORY_LABELS[options.language],
    web: options.variant === 'web',
  };
  const section = (title: string, body: string) =>
    `<h2 style="font-size:18px;margin:28px 0 6px;color:${COLORS.ink}">${e(title)}</h2>${body}`;

  const body = [
    `<h1 style="font-size:24px;margin:0 0 4px;color:${COLORS.ink}">${e(l.title(report.month))}</h1>`,
    `<p style="color:${COLORS.grey};margin:0 0 12px;font-size:13px">${e(l.generatedAt)}: ${e(report.generatedAt)} · ${e(report.period.timezone)}</p>`,
    ...SECTIONS.map(({ title, render }) => section(title(l), render(context))),
  ].join('\n');

  return `<!DOCTYPE html>
<html lang="${options.language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>${e(l.title(report.month))}</title></head>
<body style="margin:0;padding:0;background:#f6f8fa;${FONT};color:${COLORS.ink}">
<table role="presentation" cellpadding="0" cellspacing="0" width="100%" style="border-collapse:collapse"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" cellpadding="0" cellspacing="0" width="100%" style="max-width:760px;border-collapse:collapse;background:#ffffff;border:1px solid ${COLORS.line}"><tr><td style="padding:24px 28px">
${body}
</td></tr></table></td></tr></table></body></html>`;
}
