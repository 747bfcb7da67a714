/**
 * Masking of free text before anything is published or sent on (suggestions on the public
 * board, rejection reasons, report example comments, alert details): phone numbers in every
 * common format, Chinese resident ID numbers, email addresses, and names where a title or a
 * cue with a known surname gives them away. What it cannot find (a bare name with no cue) is
 * why publication also needs a manager's approval of the masked text.
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
/** 18-digit resident ID (last may be X) and the old 15-digit form, birth date inside. */
const RESIDENT_ID =
  /(?<![\dA-Za-z])\d{6}(?:(?:19|20)\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])|(?<![\dA-Za-z])\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![\dA-Za-z])/g;
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
const PHONE = new RegExp(`(?<![\\w+])(?:${PHONES.join('|')})(?![\\dA-Za-z])`, 'g');

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

const stars = (value: string) => '*'.repeat([...value].length);

/** Masks personal data in free text (zh and en). Idempotent: masking masked text changes nothing. */
export function maskFreeText(input: string): string {
  let text = halfWidth(input);
  text = text.replace(EMAIL, (email) => {
    const [local = '', domain = ''] = email.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  });
  text = text.replace(RESIDENT_ID, (id) => starDigits(id, 2, 2));
  text = text.replace(PHONE, (phone) => {
    const digits = digitsOf(phone);
    // A bare run of 7–8 digits or a date-like group is not a phone unless it matched a phone shape above.
    if (digits.length < 7) return phone;
    return starDigits(phone, phone.includes('+') ? 2 : 3, 4);
  });
  text = text.replace(NAME_BEFORE_TITLE_ZH, (name) => stars(name));
  text = text.replace(NAME_AFTER_CUE_ZH, (_, cue: string, name: string) => cue + stars(name));
  text = text.replace(SURNAME_ONLY_ZH, (_, cue: string, name: string) => cue + stars(name));
  text = text.replace(TITLE_EN, (_, title: string, gap: string, name: string) => title + gap + stars(name));
  // "I am / I'm" only before a capitalised word that is not a common word: "I'm Very angry" stays.
  text = text.replace(CUE_EN, (whole, cue: string, gap: string, name: string) =>
    /^(?:I am|I'm)$/i.test(cue) && COMMON_WORDS.has(name.split(/\s+/)[0]!.toLowerCase())
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
