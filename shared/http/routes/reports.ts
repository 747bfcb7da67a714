import {
  GenerateReportBody,
  PeriodReport,
  ReportExport,
  ReportExportParams,
  ReportParams,
  ReportRenderQuery,
} from '../../schemas/reports.js';
import { json, LOCATION_OF_JOB, type RouteDeclaration } from './route.js';

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
    responses: { 200: json(PeriodReport, 'The report') },
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
    responses: {
      200: {
        description: 'The report as an HTML page (no script; the same page the report email carries)',
        contentType: 'text/html',
        example:
          '<!doctype html><html lang="en"><head><title>CareLoop report 2026-11</title></head><body><h1>…</h1></body></html>',
      },
    },
  },
  {
    id: 'getReportCsv',
    method: 'GET',
    path: '/reports/{period}/csv',
    capability: 'reports',
    handler: 'getReportCsv',
    auth: 'manager',
    summary:
      "The report's tables as CSV; a monthly report adds the month's rows (responses, complaints; no personal data). A month with more rows than one answer holds is exported by a job: 202 with the job (poll its statusUrl, then fetch its url)",
    request: { params: ReportParams, query: ReportRenderQuery },
    responses: {
      200: {
        description: 'The report as CSV (UTF-8), to save as a file',
        contentType: 'text/csv',
        headers: {
          'Content-Disposition': {
            description: 'attachment, with the file name',
            example: 'attachment; filename="careloop-report-2026-11.csv"',
          },
        },
        example: 'section,metric,value\r\nsatisfaction,csat,4.32\r\nnps,score,41.5\r\n',
      },
      202: {
        ...json(
          ReportExport,
          'Too many rows for one answer: the export job that builds the file (Location: its statusUrl)',
        ),
        headers: LOCATION_OF_JOB,
      },
    },
    // It may start an export job, which it records.
    writesData: true,
    startsJob: 'reportExport',
  },
  {
    id: 'createReportExport',
    method: 'POST',
    path: '/reports/{period}/exports',
    capability: 'reports',
    handler: 'createReportExport',
    auth: 'manager',
    summary:
      "Export a period's report with every row of the month as CSV, by a job: 202 with the job; poll its statusUrl until `ready`, then fetch its url (expires). Repeating within the hour answers the same job",
    request: { params: ReportParams },
    responses: { 202: { ...json(ReportExport, 'The export job (Location: its statusUrl)'), headers: LOCATION_OF_JOB } },
    startsJob: 'reportExport',
  },
  {
    id: 'getReportExport',
    method: 'GET',
    path: '/reports/{period}/exports/{id}',
    capability: 'reports',
    handler: 'getReportExport',
    auth: 'manager',
    summary: 'An export job: its status, and when ready its rows and a fresh expiring link to the file',
    request: { params: ReportExportParams },
    responses: { 200: json(ReportExport, 'The export job') },
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
    responses: { 200: json(PeriodReport, 'The report as built') },
    deletesData: true, // a failed email send releases its message claim so a retry can send it
  },
] as const satisfies readonly RouteDeclaration[];
