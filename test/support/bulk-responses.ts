/**
 * Many survey responses at once, written straight to the table as the survey store writes them
 * (the response item with its day index entry), for the export test and the benchmark: 100,000
 * answered surveys through the API would take far longer than either needs. BatchWriteItem is
 * used here only (test and bench code); the application never uses it.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DIMENSIONS } from '../../shared/schemas/vocabulary.js';
import { dynamo } from '../../shared/store/client.js';
import { EntityType, surveyKeys } from '../../shared/store/keys.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';

/** Writes `count` responses spread over the days of `month` (YYYY-MM), `parallel` batches at a time. */
export async function writeResponses(
  month: string,
  count: number,
  options: { parallel?: number; prefix?: string } = {},
) {
  const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  const prefix = options.prefix ?? 'bulk';
  const item = (i: number) => {
    const day = `${month}-${String((i % days) + 1).padStart(2, '0')}`;
    const id = `${prefix}-r-${String(i).padStart(7, '0')}`;
    const submittedAt = `${day}T${String(i % 24).padStart(2, '0')}:00:00.000Z`;
    return {
      ...surveyKeys.response(`${prefix}-s-${i}`),
      ...surveyKeys.responseByDay(day, submittedAt, id),
      type: EntityType.surveyResponse,
      id,
      surveyId: `${prefix}-s-${i}`,
      subject: { type: 'interaction', id: `${prefix}-i-${i}` },
      cell: { day, channel: ['chat', 'phone', 'email'][i % 3]!, team: 'online' },
      scores: Object.fromEntries(DIMENSIONS.map((d, k) => [d, ((i + k) % 5) + 1])),
      overall: (i % 5) + 1,
      nps: i % 11,
      valid: true,
      flags: [],
      categories: i % 7 === 0 ? ['slow_response'] : [],
      sentiment: 'neutral',
      submittedAt,
    };
  };
  const batches: Array<Array<ReturnType<typeof item>>> = [];
  for (let i = 0; i < count; i += 25)
    batches.push(Array.from({ length: Math.min(25, count - i) }, (_, k) => item(i + k)));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = { [tableName(MAIN_TABLE)]: batches[next++]!.map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(requests).length) {
        const result = await dynamo().send(new BatchWriteCommand({ RequestItems: requests }));
        requests = (result.UnprocessedItems ?? {}) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 8 }, worker));
}
