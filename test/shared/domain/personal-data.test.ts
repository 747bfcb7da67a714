import { describe, expect, it } from 'vitest';
import { maskEmail, maskPersonalData, maskPhone, maskText } from '../../../shared/domain/personal-data.js';

describe('masking personal data', () => {
  it('keeps only the country code and the last four digits of a phone number', () => {
    expect(maskPhone('+8613812345678')).toBe('+86*******5678');
  });

  it('keeps the first letter and the domain of an email address', () => {
    expect(maskEmail('li.wei@example.com')).toBe('l***@example.com');
  });

  it('masks numbers and addresses inside free text but leaves dates and ids alone', () => {
    const text = 'Customer 13812345678 wrote from li.wei@example.com on 2026-11-03 about 01JC0ZQ8M3Y7D5T2N4K6P8R0SV';
    const masked = maskText(text);
    expect(masked).not.toContain('13812345678');
    expect(masked).not.toContain('li.wei@example.com');
    expect(masked).toContain('2026-11-03');
    expect(masked).toContain('01JC0ZQ8M3Y7D5T2N4K6P8R0SV');
  });

  it('masks person names but not error or state names in log records', () => {
    const record = JSON.parse(
      JSON.stringify(
        { customer: { name: '王小明', phone: '+8613812345678' }, error: { name: 'ConditionalCheckFailedException' } },
        maskPersonalData,
      ),
    );
    expect(record.customer.name).toBe('王**');
    expect(record.customer.phone).not.toContain('12345678');
    expect(record.error.name).toBe('ConditionalCheckFailedException');
  });
});
