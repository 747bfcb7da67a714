/**
 * Masking of free text before anything is published, sent on or logged (suggestions on the public
 * board, rejection reasons, report example comments, alert details, every string a log line
 * carries): bank card numbers (Luhn-checked), Chinese resident ID numbers (the checksum decides
 * when the digits are grouped), phone numbers in every common format, in Chinese numerals too,
 * email addresses (also spelled "at … dot"), WeChat and QQ ids, passport numbers, licence plates,
 * street addresses (zh and en), IP addresses, birth dates after a cue, and names where a title or
 * a cue with a known surname gives them away. What it cannot find (a bare name with no cue) is
 * why publication also needs a manager's approval of the masked text. The corpus in
 * test/shared/domain/masking.test.ts lists every shape, and the texts that must stay readable.
 * maskFreeText is the one free-text masker; personal-data.ts adds the masks of a field that holds
 * a phone, an email or a name, and the log replacer that uses both.
 */

/**
 * Full-width digits, Latin letters and the signs that write phones and addresses (＠ ＋ － （ ） ．)
 * read as their ASCII twins, and an ideographic space between digits as a space. Other
 * full-width punctuation (，。：) is Chinese text and stays as written.
 */
function halfWidth(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF20\uFF0B\uFF0D\uFF08\uFF09\uFF0E]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) - 0xfee0),
    )
    .replace(/(?<=\d)\u3000(?=\d)/g, ' ');
}

const digitsOf = (value: string) => value.replace(/\D/g, '');

/** Keeps the first `head` and last `tail` digits, stars for the rest, and drops the separators. */
function starDigits(value: string, head: number, tail: number): string {
  const prefix = value.trimStart().startsWith('+') ? '+' : '';
  const digits = digitsOf(value);
  if (digits.length <= head + tail) return '*'.repeat(digits.length);
  return prefix + digits.slice(0, head) + '*'.repeat(digits.length - head - tail) + digits.slice(-tail);
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const SEP = String.raw`[\s.\-]?`;
const PHONES = [
  // mainland mobile, optionally with +86 / 0086 / (+86), in 3-4-4 groups or one run
  String.raw`(?:(?:\(\s*)?(?:\+|00)\s?86(?:\s*\))?${SEP})?1[3-9]\d${SEP}\d{4}${SEP}\d{4}`,
  // landline with area code 0xx / 0xxx (brackets allowed), optional extension
  String.raw`(?:\(\s*0\d{2,3}\s*\)|0\d{2,3})${SEP}\d{3,4}${SEP}\d{4}(?:\s*(?:ext\.?|x|转|分机)\s*\d{1,5})?`,
  // landline written internationally: +86 10 1234 5678
  String.raw`(?:\+|00)\s?86${SEP}\(?\d{2,3}\)?${SEP}\d{3,4}${SEP}\d{4}`,
  // service numbers 400 / 800
  String.raw`[48]00${SEP}\d{3}${SEP}\d{4}`,
  // other international numbers: + country code and 2–5 groups
  String.raw`\+\d{1,3}(?:[\s.\-]?\(?\d{1,4}\)?){2,5}`,
];
const PHONE = new RegExp(`(?<![\\w+]|[A-Za-z#]-)(?:${PHONES.join('|')})(?![\\dA-Za-z])`, 'g');

/** The most common Chinese surnames (≈ 85 % of the population), compound ones first. */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '令狐',
  '慕容',
  '夏侯',
  '尉迟',
  '公孙',
  '长孙',
  '宇文',
  '司徒',
];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const SURNAME = `(?:${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])`;
const TITLES_ZH = '先生|女士|小姐|太太|夫人|师傅|阿姨|大爷|大妈|经理|老师|医生|大夫|主任|老板|同学|律师|总';
/** 张先生 / 张伟先生 / 欧阳娜娜女士: the name before a title (the title stays). */
const NAME_BEFORE_TITLE_ZH = new RegExp(`${SURNAME}[\\u4e00-\\u9fa5]{0,2}?(?=(?:${TITLES_ZH}))`, 'g');
/** 我叫张伟 / 我是李娜 / 联系人：王小明 / 客户赵敏 / 姓王: the name after a cue. */
const CUE_ZH = '我叫|我是|名叫|叫做|本人|姓名[:：]?\\s*|联系人[:：]?\\s*|客户[:：]?\\s*|顾客[:：]?\\s*|业主[:：]?\\s*';
const NAME_AFTER_CUE_ZH = new RegExp(`(${CUE_ZH})(${SURNAME}[\\u4e00-\\u9fa5]{1,2})`, 'g');
const SURNAME_ONLY_ZH = new RegExp(`(姓)(${SURNAME})`, 'g');
const NAME_EN = String.raw`[A-Z][a-zA-Z'\-]+(?:\s+[A-Z][a-zA-Z'\-]+)?`;
const TITLE_EN = new RegExp(String.raw`\b(Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Madam|Sir)(\.?\s+)(${NAME_EN})`, 'g');
/** Case matters for the name (a capital letter), not for the cue. */
const CUE_EN = new RegExp(
  String.raw`\b([Mm]y name is|[Mm]y name's|I am|I'm|[Tt]his is|[Cc]all me|[Nn]ame:|[Cc]ontact:|[Cc]ustomer:)(\s+)(${NAME_EN})`,
  'g',
);

/** Luhn check of a card number's digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** The mainland resident ID's check character (ISO 7064 MOD 11-2) matches the first 17 digits. */
export function residentIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const total = ID_WEIGHTS.reduce((sum, weight, i) => sum + weight * Number(id[i]), 0);
  return '10X98765432'[total % 11] === (id[17] ?? '').toUpperCase();
}
/** 18-digit resident ID (last may be X) and the old 15-digit form, the birth date inside. */
const ID_SHAPE =
  /^(?:\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]|\d{8}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})$/;

/**
 * A run of 15–19 digits, contiguous or in groups of at least three (card and ID layouts:
 * 4-4-4-4, 6-8-4, 4-6-5), so that dates and times (2-digit groups) never form one.
 */
const LONG_NUMBER = /(?<![\dA-Za-z*])\d{3,}[Xx]?(?:[ -]\d{3,}[Xx]?){0,7}(?:[ -](?:\d{2}|\d{1,2}[Xx]))?(?![\dA-Za-z*])/g;

/** A mainland mobile however its 11 digits are grouped (3-4-4, 4-4-3, 3-3-5, …). */
const MOBILE_ANY_GROUPING = /(?<![\w+*]|[A-Za-z#]-)1[3-9](?:[ \-.]?\d){9}(?![\dA-Za-z*])/g;
/** A number of seven or more digits written in Chinese numerals (一三八… / 幺三八… / 壹叁捌…). */
const HAN_DIGIT = '零〇一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖';
const HAN_NUMBER = new RegExp(`[${HAN_DIGIT}](?:[\\s\\-]?[${HAN_DIGIT}]){6,}`, 'g');

const TLDS = 'com|cn|net|org|edu|gov|io|co|uk|hk|tw|me|info|biz|us|de|jp|sg';
/** An address spelled out: li.wei at example dot com, liwei(at)qq(dot)com, liwei 艾特 qq 点 com. */
const EMAIL_SPELLED = new RegExp(
  String.raw`[A-Za-z0-9._%+-]+\s*(?:\s(?:at|AT)\s|[(\[（【]\s*(?:at|AT)\s*[)\]）】]|艾特|圈a)\s*[A-Za-z0-9-]+(?:\s*(?:\s(?:dot|DOT)\s|[(\[（【]\s*(?:dot|DOT)\s*[)\]）】]|点|\.)\s*[A-Za-z0-9-]+)*\s*(?:\s(?:dot|DOT)\s|[(\[（【]\s*(?:dot|DOT)\s*[)\]）】]|点|\.)\s*(?:${TLDS})\b`,
  'g',
);

/** WeChat ids after a cue: 微信 / 微信号 / vx / wx / WeChat (ID). A phone after the cue is masked as a phone. */
const WECHAT =
  /((?:微信号?|威信|薇信|[Vv][Xx]|[Ww][Xx]|WeChat(?:\s*ID)?|Wechat(?:\s*ID)?|wechat(?:\s*id)?|weixin)\s*(?:号码?|账号|ID|id)?\s*(?:是|为|is|[:：])?\s*)([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])/g;
/** QQ numbers after a cue: QQ 12345678 / qq号：12345 / 扣扣 1234567. */
const QQ = /((?:QQ|qq|Qq|扣扣)\s*(?:号码?|账号)?\s*(?:是|为|[:：])?\s*)(\d{5,11})(?!\d)/g;
/** Passports: E12345678 / G12345678 / EA1234567 anywhere, any 6–12 letters and digits after a cue. */
const PASSPORT_CN = /(?<![\dA-Za-z])(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7})(?![\dA-Za-z])/g;
const PASSPORT_CUE =
  /((?:护照(?:号码?)?|[Pp]assport(?:\s*(?:[Nn]o\.?|[Nn]umber|#))?)\s*(?:是|为|[:：])?\s*)([A-Z0-9]{6,12})(?![\dA-Za-z])/g;
/** Mainland licence plates: 京A12345, 沪A·12345, 粤B D12345 (new energy, six characters). */
const PLATE =
  /([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z])([·•．.\-\s]?)([A-HJ-NP-Z0-9]{5,6})(?![\dA-Za-z])/g;
/** IPv4 (every octet ≤ 255, not a version number: v1.2.3.4, version 3.2.1.4) and IPv6 with at least three groups. */
const IPV4 =
  /(?<![\dA-Za-z.])(?<!(?:[Vv]ersion|[Vv]er\.?|版本|版本号)\s*[:：]?\s*)(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/g;
const IPV6 = /(?<![\w:])(?=(?:[0-9A-Fa-f]*:){3})[0-9A-Fa-f]{0,4}(?::{1,2}[0-9A-Fa-f]{1,4}){2,7}(?![\w:])/g;
/** Birth dates after a cue (生日 / 出生 / 生于 / DOB / born / birthday) in the common date forms. */
const MONTHS_EN =
  'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
const DATE_FORMS = String.raw`(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{1,2}\s+(?:${MONTHS_EN})\.?,?\s+\d{4}|(?:${MONTHS_EN})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}[日号])`;
const BIRTH_BEFORE = new RegExp(
  String.raw`((?:生日|出生(?:日期|年月日?)?|生于|出生于|[Dd]ate of [Bb]irth|DOB|[Dd]\.?[Oo]\.?[Bb]\.?|[Bb]orn(?:\s+on)?|[Bb]irthday)\s*(?:是|为|在|:|：|is)?\s*)(${DATE_FORMS})`,
  'g',
);
const BIRTH_AFTER = new RegExp(String.raw`(${DATE_FORMS})(\s*(?:出生|生日|生人))`, 'g');

/** Street addresses in Chinese: a road and its number, a building, unit and room, an estate before them. */
const ROAD_ZH = String.raw`(?:(?![省市区县镇乡在到住于往是的])[\u4e00-\u9fa5]){1,3}(?:路|街|大街|大道|巷|弄|胡同|里)\s*\d+\s*(?:号|號)`;
const BUILDING_ZH = String.raw`(?:[A-Za-z]?\d+\s*(?:号楼|栋|幢|座|号院|期|单元|楼|层|室|号|户|-)\s*)+(?:\d+(?![\d.]))?`;
const ESTATE_ZH = String.raw`[\u4e00-\u9fa5]{2,4}(?:小区|花园|公寓|大厦|新村|家园|苑|广场|中心)`;
const ADDRESS_ZH = new RegExp(
  `(?:${ROAD_ZH}(?:\\s*${ESTATE_ZH})?(?:\\s*${BUILDING_ZH})?|${ESTATE_ZH}\\s*(?=[A-Za-z]?\\d+\\s*(?:号楼|栋|幢|座|单元))${BUILDING_ZH})`,
  'g',
);
/** Street addresses in English: 221B Baker Street, 1600 Amphitheatre Parkway, Flat 3 / Apt 5B / Unit 12. */
const STREET_TYPES =
  'Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Square|Sq|Terrace|Crescent|Close|Highway|Hwy';
const ADDRESS_EN = new RegExp(
  String.raw`\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:${STREET_TYPES})\b\.?|\b(?:Flat|Apt\.?|Apartment|Unit|Suite|Room|Rm\.?)\s*#?\s*\d+[A-Za-z]?\b`,
  'g',
);
/** 我姓王，叫小明 / 我姓*，名小明: the given name after the surname's cue. */
const GIVEN_NAME_ZH = /(姓[\u4e00-\u9fa5*]{1,2}[，,、\s]*(?:叫|名叫|名字叫|名|单名一个|单名))([\u4e00-\u9fa5]{1,2})/g;

const starAllDigits = (value: string) => value.replace(/\d/g, '*');

/**
 * The card or ID number inside a run of digit groups, if any: an ID by its shape (and, when
 * grouped, its checksum, since grouped digits are as often an order or tracking number), a card
 * of 15–19 digits by the Luhn check. The longest window of whole groups wins; the rest is
 * searched again, so two numbers side by side are both found.
 */
function maskLongNumber(run: string): string {
  const parts = run.split(/([ -])/);
  const groups = parts.filter((_, i) => i % 2 === 0);
  for (let from = 0; from < groups.length; from++)
    for (let to = groups.length; to > from; to--) {
      const digits = groups.slice(from, to).join('');
      let masked: string | undefined;
      if (ID_SHAPE.test(digits) && (to - from === 1 || residentIdValid(digits)))
        masked = digits.slice(0, 2) + '*'.repeat(digits.length - 4) + digits.slice(-2);
      else if (/^\d{15,19}$/.test(digits) && luhnValid(digits)) masked = starDigits(digits, 0, 4);
      if (masked === undefined) continue;
      const before = parts.slice(0, from * 2).join('');
      const rest = to < groups.length ? (parts[to * 2 - 1] ?? '') + maskLongNumber(parts.slice(to * 2).join('')) : '';
      return before + masked + rest;
    }
  return run;
}

const stars = (value: string) => '*'.repeat([...value].length);

/** Masks personal data in free text (zh and en). Idempotent: masking masked text changes nothing. */
export function maskFreeText(input: string): string {
  let text = halfWidth(input);
  text = text.replace(EMAIL, (email) => {
    const [local = '', domain = ''] = email.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  });
  text = text.replace(EMAIL_SPELLED, (email) => `${email.slice(0, 1)}***`);
  text = text.replace(IPV4, starAllDigits);
  text = text.replace(IPV6, (ip) => ip.replace(/[0-9A-Fa-f]/g, '*'));
  text = text.replace(BIRTH_BEFORE, (_, cue: string, date: string) => cue + starAllDigits(date));
  text = text.replace(BIRTH_AFTER, (_, date: string, cue: string) => starAllDigits(date) + cue);
  text = text.replace(LONG_NUMBER, maskLongNumber);
  text = text.replace(PHONE, (phone) => {
    const digits = digitsOf(phone);
    // A bare run of 7–8 digits or a date-like group is not a phone unless it matched a phone shape above.
    if (digits.length < 7) return phone;
    return starDigits(phone, phone.includes('+') ? 2 : 3, 4);
  });
  text = text.replace(MOBILE_ANY_GROUPING, (phone) => starDigits(phone, 3, 4));
  text = text.replace(HAN_NUMBER, stars);
  text = text.replace(WECHAT, (_, cue: string, id: string) => cue + stars(id));
  text = text.replace(QQ, (_, cue: string, id: string) => cue + stars(id));
  text = text.replace(PASSPORT_CUE, (_, cue: string, id: string) => cue + stars(id));
  text = text.replace(PASSPORT_CN, stars);
  text = text.replace(PLATE, (_, region: string, gap: string, rest: string) => region + gap + stars(rest));
  text = text.replace(ADDRESS_ZH, stars);
  text = text.replace(ADDRESS_EN, stars);
  text = text.replace(GIVEN_NAME_ZH, (_, cue: string, name: string) => cue + stars(name));
  text = text.replace(NAME_BEFORE_TITLE_ZH, (name) => stars(name));
  text = text.replace(NAME_AFTER_CUE_ZH, (_, cue: string, name: string) => cue + stars(name));
  text = text.replace(SURNAME_ONLY_ZH, (_, cue: string, name: string) => cue + stars(name));
  text = text.replace(TITLE_EN, (_, title: string, gap: string, name: string) => title + gap + stars(name));
  // "I am / I'm" only before a capitalised word that is not a common word: "I'm Very angry" stays.
  text = text.replace(CUE_EN, (whole, cue: string, gap: string, name: string) =>
    /^(?:I am|I'm)$/i.test(cue) && COMMON_WORDS.has((name.split(/\s+/)[0] ?? '').toLowerCase())
      ? whole
      : cue + gap + stars(name),
  );
  return text;
}

/** Capitalised words that follow "I am" without being a name. */
const COMMON_WORDS = new Set([
  'very',
  'so',
  'not',
  'really',
  'a',
  'an',
  'the',
  'happy',
  'angry',
  'sorry',
  'writing',
  'calling',
  'still',
  'just',
  'disappointed',
  'satisfied',
  'unhappy',
  'upset',
  'glad',
  'here',
  'tired',
  'done',
  'from',
  'in',
  'at',
  'on',
]);
