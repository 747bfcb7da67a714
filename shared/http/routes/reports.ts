import { GenerateReportBody, MonthlyReport, ReportParams, ReportRenderQuery } from '../../schemas/reports.js';
import { json, type RouteDeclaration } from './route.js';

export const reportRoutes = [
  {
    id: 'getReport',
    method: 'GET',
    path: '/reports/{period}',
    capability: 'reports',
    handler: 'getReport',
    auth: 'manager',
    summary: 'The report of a month (YYYY-MM), quarter (YYYY-Qn) or year (YYYY) as JSON (404 before it has been built)',
    request: { params: ReportParams },
    responses: { 200: json(MonthlyReport, 'The report') },
  },
  {
    id: 'getReportHtml',
    method: 'GET',
    path: '/reports/{period}/html',
    capability: 'reports',
    handler: 'getReportHtml',
    auth: 'manager',
    summary: 'The report of a period as a web page with charts',
    request: { params: ReportParams, query: ReportRenderQuery },
    responses: { 200: { description: 'text/html page', contentType: 'text/html' } },
  },
  {
    id: 'getReportCsv',
    method: 'GET',
    path: '/reports/{period}/csv',
    capability: 'reports',
    handler: 'getReportCsv',
    auth: 'manager',
    summary:
      "The report's tables as CSV; a monthly report adds the month's rows (responses, complaints; no personal data)",
    request: { params: ReportParams, query: ReportRenderQuery },
    responses: { 200: { description: 'text/csv', contentType: 'text/csv' } },
  },
  {
    id: 'generateReport',
    method: 'POST',
    path: '/reports/{period}/generate',
    capability: 'reports',
    handler: 'generateReport',
    auth: 'manager',
    summary: 'Build (or rebuild) the report of a month, quarter or year and optionally email it; safe to repeat',
    request: { params: ReportParams, body: GenerateReportBody },
    example: { email: true },
    responses: { 200: json(MonthlyReport, 'The report as built') },
  },
] as const satisfies readonly RouteDeclaration[];
