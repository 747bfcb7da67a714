/**
 * Free-text masking before publication, sending and logging: a corpus of zh and en texts, each
 * with the personal data that must not survive and (where it matters) what must survive
 * untouched — every shape of issue 27's probe (22 survived the old rules) and their variants —
 * texts that must stay readable as written, and property tests over generated cards, ID
 * numbers and mobiles in every grouping. Every case also goes through the log line writer and
 * the logger's JSON replacer, the two ways text reaches a log.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnValid, maskFreeText, residentIdValid } from '../../../shared/domain/masking.js';
import { maskPersonalData } from '../../../shared/domain/personal-data.js';
import { logReplacer, readableLine } from '../../../shared/observability/logger.js';

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

  // issue 27's probe: the shapes that survived, and their variants
  // bank cards: 16 and 19 digits (Luhn-valid), dashed, spaced, full-width, in text
  ['卡号6222021234567894，退款打到这里', ['6222021234567894', '62220212345678'], ['卡号', '退款打到这里']],
  ['银行卡 6228480012345678903 请核对', ['6228480012345678903', '622848001234567'], ['银行卡', '请核对']],
  ['Card 4367-4212-3456-7896 was charged twice', ['4367-4212-3456', '4212'], ['Card', 'was charged twice']],
  ['卡号：6222 0212 3456 7894', ['6222 0212 3456', '0212 3456'], ['卡号']],
  ['refund to 4111 1111 1111 1111 please', ['4111 1111 1111', '1111 1111 1111'], ['refund to', 'please']],
  ['全角卡号６２２２０２１２３４５６７８９４', ['6222021234567894', '６２２２０２１２'], ['全角卡号']],
  ['信用卡5500-0000-0000-0004到期了', ['5500-0000-0000', '0000-0000'], ['信用卡', '到期了']],
  ['19位卡号 6228 4800 1234 5678 903', ['6228 4800 1234 5678', '4800 1234'], ['19位卡号']],
  // street addresses, zh and en
  ['寄到北京市朝阳区建国路88号', ['建国路88号', '建国路'], ['北京市朝阳区']],
  [
    '我家住上海市浦东新区世纪大道100号阳光小区3栋502室，快递放门口',
    ['世纪大道100号', '阳光小区', '3栋502室'],
    ['快递放门口'],
  ],
  ['地址：南京西路1266号恒隆广场2座1503', ['南京西路1266号', '1503', '恒隆广场'], ['地址']],
  ['送到幸福花园5栋2单元301，谢谢', ['幸福花园', '5栋2单元301'], ['谢谢']],
  ['Please ship to 221B Baker Street, London', ['221B Baker Street', 'Baker'], ['Please ship to', 'London']],
  [
    'I live at 1600 Amphitheatre Parkway and nobody came',
    ['1600 Amphitheatre Parkway', 'Amphitheatre'],
    ['nobody came'],
  ],
  ['Flat 3, 12 High Road was the delivery address', ['Flat 3', '12 High Road'], ['was the delivery address']],
  // WeChat and QQ ids
  ['加我微信 liwei_1990 详聊', ['liwei_1990'], ['加我微信', '详聊']],
  ['微信号：wxid_abc123xyz', ['wxid_abc123xyz', 'abc123'], ['微信号']],
  ['vx: anna-lee88 thanks', ['anna-lee88'], ['thanks']],
  ['My WeChat ID is zhangsan2024, add me', ['zhangsan2024'], ['add me']],
  ['QQ 123456789 联系我', ['123456789'], ['联系我']],
  ['qq号：10001234，晚上在线', ['10001234'], ['晚上在线']],
  ['扣扣 98765432', ['98765432'], []],
  // licence plates
  ['车牌京A12345被刮了', ['A12345', '12345'], ['车牌', '被刮了']],
  ['我的车沪B·D12345停在门口', ['D12345'], ['停在门口']],
  ['粤B 8K8K8 was towed', ['8K8K8'], ['was towed']],
  ['苏E-88888 的车主', ['88888'], ['的车主']],
  // passport numbers
  ['护照号 E12345678 办签证', ['E12345678', '12345678'], ['办签证']],
  ['passport G87654321 expired', ['G87654321', '87654321'], ['expired']],
  ['护照：EA1234567', ['EA1234567', '1234567'], ['护照']],
  ['Passport No. 533380006 lost at the counter', ['533380006'], ['lost at the counter']],
  // mobiles grouped 4-4-3 and otherwise, and in Chinese numerals
  ['电话 1381 2345 678 下午打', ['1381 2345', '2345 678'], ['下午打']],
  ['手机1381-2345-678', ['1381-2345', '2345-678'], ['手机']],
  ['call 138 123 45678', ['138 123 45678', '123 45678'], ['call']],
  ['我电话一三八一二三四五六七八', ['一三八一二三四五六七八', '一二三四'], ['我电话']],
  ['打幺三八 一二三四 五六七八找我', ['一二三四 五六七八', '幺三八'], ['找我']],
  ['号码壹叁捌壹贰叁肆伍陆柒捌', ['壹贰叁肆伍陆柒捌'], ['号码']],
  // resident ID numbers with spaces or dashes (checksum-valid)
  ['身份证 110101 19900307 1233', ['19900307', '110101 1990'], ['身份证']],
  ['ID 3205 8219 8806 1520 15 on file', ['3205 8219 8806', '19880615', '8806 1520'], ['on file']],
  ['证件号110101-19900307-1233', ['19900307', '110101-1990'], ['证件号']],
  // email spelled out
  ['email li.wei at example dot com', ['li.wei at example', 'wei at'], ['email']],
  ['邮箱 liwei(at)qq(dot)com 有回执', ['liwei(at)qq', 'liwei'], ['有回执']],
  ['write to anna [at] mail [dot] co [dot] uk', ['anna [at]', 'anna'], ['write to']],
  ['邮件 zhangsan艾特163点com', ['zhangsan艾特', 'zhangsan'], ['邮件']],
  // the given name after 我姓*，叫
  ['我姓王，叫小明，订单一直没到', ['王', '小明'], ['我姓', '订单一直没到']],
  ['我姓欧阳，名娜娜', ['欧阳', '娜娜'], ['我姓']],
  ['本人姓李 叫静 电话打不通', ['姓李', '叫静'], ['电话打不通']],
  // IP addresses
  ['登录IP 203.0.113.45 被锁', ['203.0.113.45', '113.45'], ['被锁']],
  ['from 192.168.1.23, the app failed', ['192.168.1.23'], ['the app failed']],
  ['IPv6 2001:db8:85a3::8a2e:370:7334 blocked', ['2001:db8', '8a2e:370:7334'], ['blocked']],
  // birth dates after a cue
  ['我生日是1990-03-07，会员优惠没给', ['1990-03-07', '1990'], ['会员优惠没给']],
  ['出生日期：1985年1月1日', ['1985年1月1日', '1985'], ['出生日期']],
  ['1990年3月7日出生的会员', ['1990年3月7日'], ['出生的会员']],
  ['DOB: 07/03/1990, please update', ['07/03/1990', '1990'], ['please update']],
  ['I was born on 7 March 1990 and the form refused it', ['7 March 1990', '1990'], ['and the form refused it']],
  ['birthday March 7, 1990', ['March 7, 1990', '1990'], []],
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
  // order numbers, tracking numbers, prices, dates and times of service, model numbers, versions
  '订单号 202611031234567890 还没发货',
  '订单号：2026 1103 0001 2345，麻烦查一下',
  'Tracking SF1234567890123 stuck for a week',
  'Order #A-10293847 was refunded ¥1,299.00',
  '价格从 ¥3,999 涨到 ¥4,299，太贵了',
  'paid $1,049.99 on 2026-11-03 at 14:30',
  '服务时间 2026年11月3日 14:30-16:00，师傅迟到了',
  '11月3日上午10点上门，下午3点才到',
  'visit booked for 03/11/2026 10:00, nobody came',
  '型号 SM-G9980 屏幕碎了',
  'My iPhone 15 Pro Max and the RTX 4090 both failed',
  'app version 3.2.1.4 crashes on start',
  '型号 XR-2000，序列号 SN20261103A',
  '排队等了 45 分钟，第 3 次打电话',
  '第 2 期 12 号工单还没处理',
  'Room temperature was 26 degrees',
  '我住在北京，服务很好',
  'The street was closed so delivery was late',
];

describe('maskFreeText', () => {
  it('has a corpus of at least 80 zh and en cases, readable texts included', () => {
    expect(CASES.length + UNCHANGED.length).toBeGreaterThanOrEqual(80);
    expect(CASES.length).toBeGreaterThanOrEqual(80);
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

describe('every case is masked in logs too', () => {
  it('in a JSON entry (any key) and in a readable line (message and attributes)', () => {
    for (const [text, secrets] of CASES) {
      const json = JSON.stringify({ message: text, detail: { comment: text, reason: [text] } }, logReplacer);
      const line = readableLine({ level: 'INFO', message: text, comment: text, error: new Error(text) });
      for (const secret of secrets) {
        expect(json, text).not.toContain(secret);
        expect(line, text).not.toContain(secret);
      }
      expect(maskPersonalData('comment', text)).toBe(maskFreeText(text));
    }
  });
});

// Generators: the digits of a card, an ID number or a mobile, written the ways people write them.
const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const withLuhnDigit = (body: string) => [...'0123456789'].map((d) => body + d).find(luhnValid)!;
const card = fc
  .oneof(fc.constant(16), fc.constant(19))
  .chain((n) =>
    fc
      .tuple(fc.constantFrom('4', '5', '62'), digits(n))
      .map(([bin, rest]) => withLuhnDigit((bin + rest).slice(0, n - 1))),
  );
const residentId = fc
  .record({
    area: fc.constantFrom('110101', '310104', '440304', '320582', '510107'),
    year: fc.integer({ min: 1930, max: 2008 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    seq: digits(3),
  })
  .map(({ area, year, month, day, seq }) => {
    const body = `${area}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${seq}`;
    return ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'].map((c) => body + c).find(residentIdValid)!;
  });
const mobile = fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), digits(9)).map(([a, b]) => a + b);
/** Groups of `sizes` joined by one separator; full-width digits sometimes. */
const written = (value: string, layouts: number[][]) =>
  fc.tuple(fc.constantFrom(...layouts), fc.constantFrom('', ' ', '-'), fc.boolean()).map(([sizes, sep, wide]) => {
    const groups: string[] = [];
    let at = 0;
    for (const size of sizes) {
      groups.push(value.slice(at, at + size));
      at += size;
    }
    if (at < value.length) groups.push(value.slice(at));
    const text = (sep ? groups : [value]).join(sep);
    return wide ? text.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)) : text;
  });
const around = fc.tuple(
  fc.constantFrom('', '卡号', '请退到 ', 'refund to ', '身份证：', 'call ', '（', '电话是'),
  fc.constantFrom('', '，谢谢', ' please', '。', ' 急', '）'),
);

describe('property: generated numbers never survive, readable texts always do', () => {
  it('a Luhn-valid card of 16 or 19 digits, contiguous or in groups, keeps only its last four', () => {
    fc.assert(
      fc.property(
        card.chain((n) =>
          fc.tuple(
            fc.constant(n),
            written(n, [
              [4, 4, 4, 4],
              [4, 4, 4, 4, 3],
              [6, 13],
            ]),
            around,
          ),
        ),
        ([number, text, [before, after]]) => {
          const masked = maskFreeText(before + text + after);
          expect(masked.replace(/\D/g, '')).toBe(number.slice(-4));
          expect(maskFreeText(masked)).toBe(masked);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a checksum-valid resident ID, contiguous or grouped 6-8-4 or 4-4-4-4-2, keeps only two digits each end', () => {
    fc.assert(
      fc.property(
        residentId.chain((id) =>
          fc.tuple(
            fc.constant(id),
            written(id, [
              [6, 8, 4],
              [4, 4, 4, 4, 2],
              [3, 3, 4, 4, 4],
            ]),
            around,
          ),
        ),
        ([id, text, [before, after]]) => {
          const masked = maskFreeText(before + text + after);
          expect(masked).toContain(`${id.slice(0, 2)}${'*'.repeat(14)}${id.slice(-2)}`);
          expect(masked).not.toContain(id.slice(6, 14));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a mainland mobile in any grouping keeps its first three and last four digits', () => {
    fc.assert(
      fc.property(
        mobile.chain((m) =>
          fc.tuple(
            fc.constant(m),
            written(m, [
              [3, 4, 4],
              [4, 4, 3],
              [3, 3, 5],
              [3, 8],
            ]),
            around,
          ),
        ),
        ([number, text, [before, after]]) => {
          const masked = maskFreeText(before + text + after);
          expect(masked.replace(/\D/g, '')).toBe(number.slice(0, 3) + number.slice(-4));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('prices, dates and times of service, and order numbers with a letter prefix stay as written', () => {
    const readable = fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 99 }))
        .map(([yuan, fen]) => `¥${yuan.toLocaleString('en-US')}.${String(fen).padStart(2, '0')}`),
      fc
        .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
        .map((d) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`),
      fc.tuple(fc.constantFrom('ORD-', 'SF', 'JD', '#A-'), digits(10)).map(([p, d]) => p + d),
      fc.tuple(fc.constantFrom('SM-G', 'XR-', 'RTX ', 'A'), fc.integer({ min: 10, max: 9999 })).map(([p, n]) => p + n),
    );
    fc.assert(
      fc.property(readable, fc.constantFrom('订单 ', 'paid ', '型号 ', ''), (value, cue) => {
        expect(maskFreeText(cue + value)).toBe(cue + value);
      }),
      { numRuns: 400 },
    );
  });
});
