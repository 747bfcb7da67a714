/** Number formatting shared by the HTML and CSV renderings of the report. */
export const escapeHtml = (value: unknown) =>
  String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export const percent = (share: number | null | undefined, digits = 1) =>
  share === null || share === undefined ? '—' : `${(share * 100).toFixed(digits)}%`;

export const decimal = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '—' : value.toFixed(digits);

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A KPI value in its natural unit: shares as %, NPS and CSAT as numbers. */
export function kpiValue(name: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (name === 'nps') return value.toFixed(1);
  if (name === 'csat' || name === 'csi') return value.toFixed(2);
  if (name.endsWith('Hours')) return `${value.toFixed(1)} h`;
  return percent(value);
}
