/**
 * Free-text masking before publication: a table of zh and en texts, each with the personal
 * data that must not survive and (where it matters) what must survive untouched.
 */
import { describe, expect, it } from 'vitest';
import { maskFreeText } from '../../../shared/domain/masking.js';

/** [text, secrets that must be gone, words that must stay] */
const CASES: Array<[string, string[], string[]]> = [
  // mobile phones, every common way of writing one
  ['请回电 13812345678 谢谢', ['13812345678', '1234'], ['请回电', '谢谢']],
  ['电话138 1234 5678', ['1234 5678', '138 1234'], ['电话']],
  ['手机：138-1234-5678', ['1234-5678'], ['手机']],
  ['Call me on 138.1234.5678 please', ['1234.5678'], ['please']],
  ['+8613812345678 is my number', ['13812345678', '8613812'], ['is my number']],
  ['+86 138 1234 5678', ['1234 5678'], []],
  ['+86-138-1234-5678', ['138-1234'], []],
  ['(+86)13812345678', ['13812345678'], []],
  ['0086 13812345678', ['13812345678'], []],
  ['全角号码１３８１２３４５６７８请联系', ['13812345678', '１３８１２３４５６７８'], ['请联系']],
  ['全角带空格 １３８　１２３４　５６７８', ['1234 5678', '１２３４'], []],
  ['我的手机是15900001111，晚上打', ['15900001111'], ['晚上打']],
  // landlines and service numbers
  ['座机 010-12345678', ['12345678'], ['座机']],
  ['打 (021) 6123 4567 找前台', ['6123 4567', '6123'], ['找前台']],
  ['办公室 0755-8888 9999 转 123', ['8888 9999', '8888'], ['办公室']],
  ['Office: 020 8765 4321 ext. 45', ['8765 4321'], ['Office']],
  ['+86 10 6552 9988', ['6552 9988', '6552'], []],
  ['客服热线 400-800-8888 不接', ['800-8888'], ['不接']],
  ['UK +44 20 7946 0958', ['7946 0958', '7946'], ['UK']],
  ['US number +1 (415) 555-0123', ['555-0123', '555'], ['US number']],
  // resident ID numbers
  ['身份证 110101199003077777', ['110101199003077777', '19900307'], ['身份证']],
  ['ID 11010519491231002X verified', ['11010519491231002X', '19491231'], ['verified']],
  ['身份证号：44030419850101123x', ['44030419850101123x', '19850101'], []],
  ['老身份证 110101900307777', ['110101900307777'], ['老身份证']],
  // email addresses
  ['邮箱 li.wei@example.com 收不到', ['li.wei@example.com', 'li.wei'], ['收不到']],
  ['write to LI_WEI+cs@mail.example.com.cn', ['LI_WEI+cs', 'LI_WEI'], ['write to']],
  ['全角邮箱 zhang＠example.com', ['zhang@', 'zhang＠'], []],
  // names after a title or a cue with a known surname (zh)
  ['张先生反映快递太慢', ['张'], ['先生反映快递太慢']],
  ['王女士说客服态度不好', ['王'], ['女士说客服态度不好']],
  ['请转告李小明先生', ['李小明'], ['先生', '请转告']],
  ['欧阳娜娜女士的订单', ['欧阳', '娜娜'], ['女士的订单']],
  ['刘经理没有回电', ['刘'], ['经理没有回电']],
  ['我叫陈静，上周投诉过', ['陈静'], ['我叫', '上周投诉过']],
  ['我是赵敏，会员号不要公开', ['赵敏'], ['我是', '会员号不要公开']],
  ['联系人：孙悦', ['孙悦'], ['联系人']],
  ['本人姓黄，不想被打扰', ['姓黄'], ['本人姓', '不想被打扰']],
  // names after a title or a cue (en)
  ['Mr. Smith was rude on the phone', ['Smith'], ['Mr.', 'was rude on the phone']],
  ['Please thank Mrs Jones at the desk', ['Jones'], ['Please thank Mrs', 'at the desk']],
  ['Dr. Wei Zhang helped me', ['Wei Zhang', 'Zhang'], ['helped me']],
  ['My name is Anna Lee and the app crashed', ['Anna Lee', 'Anna'], ['and the app crashed']],
  ['Hi, this is Tom, the delivery was late', ['Tom'], ['the delivery was late']],
  // mixed
  ['张先生 13812345678 zhang@example.com', ['张', '13812345678', 'zhang@'], ['先生']],
];

/** Text that looks like numbers or names but is not personal: must come out unchanged. */
const UNCHANGED = [
  '订单于 2026-11-03 14:30 下单，金额 ¥1,299.00',
  'The app crashed 3 times on 2026-11-03',
  '这位先生很有耐心',
  '客服态度很好，五星',
  'I am very happy with the service',
  "I'm Very disappointed",
  '会员等级 2 级，积分 12000',
  'Order 20261103 arrived late',
];

describe('maskFreeText', () => {
  it('has a table of at least 40 zh and en cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const [text, secrets, kept] of CASES) {
    it(`masks: ${text}`, () => {
      const masked = maskFreeText(text);
      for (const secret of secrets) expect(masked).not.toContain(secret);
      for (const word of kept) expect(masked).toContain(word);
      expect(maskFreeText(masked)).toBe(masked);
    });
  }

  for (const text of UNCHANGED) {
    it(`leaves alone: ${text}`, () => {
      expect(maskFreeText(text)).toBe(text);
    });
  }
});
