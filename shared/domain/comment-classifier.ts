/**
 * Sorts free-text survey comments (Chinese and English) into problem categories, the way
 * s002 "定性数据整理" asks: "服务响应慢", "产品功能不完善"… each with a frequency.
 *
 * Matching is by dictionary, one keyword list per category (settings may add keywords and
 * categories). Chinese needs no word segmentation: keywords are found as substrings.
 * English keywords match at a word start and allow the usual suffixes (wait → waited,
 * waiting); a trailing `*` makes a keyword a pure prefix (overcharg* → overcharged).
 * A keyword right after a negation ("不慢", "没那么贵", "not rude", "wasn't slow at all")
 * does not count. In a Chinese keyword `…` stands for up to four characters of the same
 * clause without a negation ("态度…差" finds "态度也很差", not "态度不差"). Traditional characters are folded to simplified ones first, so the
 * dictionary is written once.
 */

export const COMMENT_CATEGORIES = [
  'slow_response',
  'unresolved',
  'lack_of_expertise',
  'attitude',
  'cumbersome_process',
  'product_quality',
  'price',
  'delivery',
  'system_stability',
  'environment',
  'no_follow_up',
] as const;
export type CommentCategory = (typeof COMMENT_CATEGORIES)[number];

/** What each category is called in the report and in customer messages. */
export const COMMENT_CATEGORY_LABELS: Record<'zh' | 'en', Record<CommentCategory, string>> = {
  zh: {
    slow_response: '响应慢',
    unresolved: '问题未解决',
    lack_of_expertise: '专业度不足',
    attitude: '服务态度',
    cumbersome_process: '流程繁琐',
    product_quality: '产品质量',
    price: '价格',
    delivery: '物流配送',
    system_stability: '系统稳定性',
    environment: '服务环境',
    no_follow_up: '缺少回访',
  },
  en: {
    slow_response: 'slow response',
    unresolved: 'unresolved issues',
    lack_of_expertise: 'lack of expertise',
    attitude: 'staff attitude',
    cumbersome_process: 'cumbersome process',
    product_quality: 'product quality',
    price: 'price',
    delivery: 'delivery',
    system_stability: 'system stability',
    environment: 'service environment',
    no_follow_up: 'no follow-up',
  },
};

/** The built-in dictionary. Keywords are lower case; Chinese ones in simplified characters. */
export const COMMENT_DICTIONARY: Record<CommentCategory, readonly string[]> = {
  slow_response: [
    '慢',
    '等待',
    '等候',
    '等了',
    '等很久',
    '排队',
    '无人接听',
    '没人接',
    '没人回',
    '打不通',
    '占线',
    '迟迟',
    '等了半天',
    '半天没人',
    '不及时',
    '回复…慢',
    '响应…慢',
    '速度…慢',
    '处理…慢',
    '超时',
    '拖延',
    '拖了',
    '拖拉',
    '很久才',
    '好久才',
    '才回复',
    '才接通',
    '久等',
    '响应时间长',
    '回复太晚',
    'slow',
    'wait',
    'waiting time',
    'on hold',
    'took forever',
    'took ages',
    'long time',
    'no one answered',
    'nobody answered',
    'no answer',
    'no reply',
    'no response',
    'never answered',
    'hours to respond',
    'delay',
    'still waiting',
    'queue',
  ],
  unresolved: [
    '未解决',
    '没解决',
    '没有解决',
    '没能解决',
    '解决不了',
    '仍未',
    '还是没',
    '依然没',
    '问题依旧',
    '依旧存在',
    '又出现',
    '再次出现',
    '反复',
    '多次反馈',
    '反馈了',
    '重复描述',
    '治标不治本',
    '不了了之',
    '没有下文',
    '没结果',
    '没有结果',
    '白跑',
    'not resolved',
    'unresolved',
    'not fixed',
    'still broken',
    'still not',
    'still no',
    'never fixed',
    'never resolved',
    'same problem',
    'same issue',
    'again and again',
    'keeps happening',
    'happened again',
    'third time',
    'several times',
    'multiple times',
    "didn't solve",
    "didn't fix",
    "wasn't fixed",
    "wasn't resolved",
    'no solution',
  ],
  lack_of_expertise: [
    '不专业',
    '业务不熟',
    '不熟悉',
    '无法解答',
    '答不上',
    '一问三不知',
    '不懂',
    '不清楚',
    '说不清',
    '解释不清',
    '答非所问',
    '转接多次',
    '转来转去',
    '多次转接',
    '踢皮球',
    '信息错误',
    '说法不一',
    '说法不一致',
    '给错',
    '搞错',
    '误导',
    '技术参数',
    '知识不足',
    'unprofessional',
    'not professional',
    'clueless',
    "didn't know",
    'did not know',
    "doesn't know",
    'no idea',
    'could not answer',
    "couldn't answer",
    'wrong information',
    'wrong answer',
    'incorrect',
    'misinform*',
    'inexperienced',
    'untrained',
    'transferred',
    'passed around',
    'passed me around',
    'contradict*',
    'lack of knowledge',
  ],
  attitude: [
    '态度…差',
    '态度…不好',
    '态度…恶劣',
    '态度…冷淡',
    '态度…冷漠',
    '态度…不行',
    '语气…冲',
    '不耐烦',
    '敷衍',
    '冷漠',
    '不礼貌',
    '没礼貌',
    '爱答不理',
    '爱理不理',
    '语气差',
    '语气不好',
    '语气很冲',
    '凶',
    '训斥',
    '挂电话',
    '挂断',
    '推卸',
    '甩锅',
    '傲慢',
    '不尊重',
    '嘲讽',
    'rude',
    'impolite',
    'impatient',
    'arrogant',
    'dismissive',
    'unfriendly',
    'disrespect*',
    'condescending',
    'hung up',
    'hang up',
    'attitude',
    'yelled',
    'shouted',
    'careless',
    'indifferent',
    "didn't care",
    'did not care',
    'blamed me',
  ],
  cumbersome_process: [
    '繁琐',
    '麻烦',
    '复杂',
    '流程…长',
    '流程太',
    '手续多',
    '手续太',
    '步骤多',
    '步骤太',
    '来回跑',
    '跑了好几趟',
    '重复提交',
    '重复登记',
    '重复填写',
    '材料太多',
    '审批慢',
    '审核太',
    '层层审批',
    '找不到入口',
    '不方便',
    '不便捷',
    'complicated',
    'cumbersome',
    'too many steps',
    'bureaucra*',
    'paperwork',
    'red tape',
    'hassle',
    'confusing process',
    'fill in the same',
    'fill out the same',
    'inconvenient',
    'hard to find',
    'go back and forth',
    'back and forth',
    'approval took',
  ],
  product_quality: [
    '质量…差',
    '质量问题',
    '质量…不好',
    '坏了',
    '故障',
    '损坏',
    '破损',
    '次品',
    '瑕疵',
    '缺陷',
    '不能用',
    '用不了',
    '续航',
    '发热',
    '异响',
    '漏水',
    '做工',
    '掉漆',
    '功能不完善',
    '失灵',
    '死机',
    '返修',
    'broken',
    'defect*',
    'faulty',
    'poor quality',
    'bad quality',
    'low quality',
    'stopped working',
    "doesn't work",
    'does not work',
    'not working',
    'malfunction*',
    'battery life',
    'overheat*',
    'cracked',
    'leak*',
    'fell apart',
    'damaged',
  ],
  price: [
    '贵',
    '价格…高',
    '价格太',
    '收费高',
    '收费太',
    '乱收费',
    '多收',
    '多扣',
    '扣费',
    '不划算',
    '性价比低',
    '性价比差',
    '隐形消费',
    '额外收费',
    '费用高',
    '差价',
    '涨价',
    '不退款',
    '退款慢',
    'expensive',
    'overpriced',
    'pricey',
    'too much money',
    'costs too much',
    'overcharg*',
    'hidden fee',
    'extra fee',
    'extra charge',
    'rip-off',
    'rip off',
    'ripoff',
    'price is too high',
    'price too high',
    'not worth',
    'refund',
  ],
  delivery: [
    '物流',
    '快递',
    '配送',
    '送货',
    '发货慢',
    '发货太',
    '未发货',
    '没发货',
    '迟迟不发',
    '延迟发货',
    '到货慢',
    '送错',
    '发错',
    '漏发',
    '少发',
    '丢件',
    '包装破',
    '签收',
    '运费',
    'delivery',
    'shipping',
    'shipment',
    'courier',
    'package',
    'parcel',
    'arrived late',
    'never arrived',
    'wrong item',
    'missing item',
    'lost in transit',
    'not delivered',
    'tracking',
  ],
  system_stability: [
    '闪退',
    '卡顿',
    '卡死',
    '崩溃',
    '打不开',
    '加载慢',
    '加载不出',
    '登录不了',
    '无法登录',
    '登不上',
    '系统故障',
    '系统出错',
    '系统问题',
    '报错',
    '页面错误',
    '网页打不开',
    '无法支付',
    '支付失败',
    'app很卡',
    'app卡',
    'bug',
    'crash*',
    'freez*',
    'app is slow',
    'keeps loading',
    "can't log in",
    'cannot log in',
    "couldn't log in",
    'login fail*',
    'error message',
    'website down',
    'site down',
    'system down',
    'glitch*',
    'payment failed',
    'not loading',
    'bug',
  ],
  environment: [
    '环境差',
    '环境不好',
    '脏',
    '乱',
    '拥挤',
    '太吵',
    '吵闹',
    '没有座位',
    '没座位',
    '停车难',
    '不好停车',
    '难找',
    '门店太远',
    '味道难闻',
    'dirty',
    'messy',
    'crowded',
    'noisy',
    'no seats',
    'no seating',
    'parking',
    'hard to find the store',
    'smell*',
    'filthy',
  ],
  no_follow_up: [
    '没有回访',
    '没回访',
    '没人回访',
    '没有跟进',
    '没跟进',
    '没人跟进',
    '不跟进',
    '没有通知',
    '没通知',
    '没人联系',
    '说好回电',
    '承诺回电',
    '没回电',
    '没有回电',
    '杳无音信',
    '石沉大海',
    '没有反馈',
    '没反馈',
    '没有进度',
    '不告知进度',
    'no follow-up',
    'no follow up',
    'never followed up',
    "didn't follow up",
    'never called back',
    'never got back',
    'no call back',
    'no callback',
    'promised to call',
    'no update',
    'no updates',
    'kept me in the dark',
    'never heard back',
    'heard nothing',
  ],
};

/** Words that make a comment strongly negative on their own (情绪识别): an alert for human follow-up. */
const STRONG_NEGATIVE = [
  '太差',
  '极差',
  '非常差',
  '特别差',
  '差劲',
  '垃圾',
  '最差',
  '恶心',
  '愤怒',
  '气死',
  '失望透顶',
  '非常失望',
  '太失望',
  '再也不',
  '骗子',
  '欺骗',
  '坑人',
  '投诉到',
  '12315',
  '消协',
  '曝光',
  '忍无可忍',
  '无法忍受',
  '不可理喻',
  '太烂',
  '烂透',
  'terrible',
  'awful',
  'horrible',
  'worst',
  'disgust*',
  'unacceptable',
  'outrageous',
  'furious',
  'scam',
  'never again',
  'fraud',
  'useless',
  'pathetic',
  'appalling',
  'ridiculous',
  'extremely disappointed',
  'very disappointed',
  'lawyer',
  'sue you',
  'report you',
];

/** Negative words that name no particular problem ("不满意", "disappointed"). */
const MILD_NEGATIVE = [
  '差评',
  '很差',
  '不满意',
  '不满',
  '失望',
  '糟糕',
  '不好',
  '不行',
  '生气',
  '无语',
  'bad',
  'poor',
  'disappointed',
  'unhappy',
  'annoyed',
  'frustrat*',
  'not happy',
  'not satisfied',
  'dissatisfied',
  'angry',
];

const POSITIVE = [
  '满意',
  '很好',
  '非常好',
  '挺好',
  '不错',
  '专业',
  '耐心',
  '热情',
  '感谢',
  '谢谢',
  '点赞',
  '给力',
  '及时',
  '高效',
  '周到',
  '贴心',
  '推荐',
  '好评',
  '快速',
  '迅速',
  '细致',
  '认真',
  '友好',
  'great',
  'excellent',
  'helpful',
  'thank*',
  'satisfied',
  'friendly',
  'quick',
  'fast',
  'professional',
  'patient',
  'recommend',
  'love',
  'amazing',
  'perfect',
  'good job',
  'well done',
  'efficient',
  'polite',
  'kind',
  'awesome',
  'good service',
];

/** Traditional → simplified for the characters the dictionaries use (seed s004 is in traditional script). */
const TRADITIONAL: Record<string, string> = Object.fromEntries(
  [
    '態态',
    '價价',
    '質质',
    '專专',
    '業业',
    '複复',
    '復复',
    '覆复',
    '雜杂',
    '瑣琐',
    '處处',
    '決决',
    '應应',
    '問问',
    '題题',
    '貴贵',
    '遲迟',
    '遞递',
    '話话',
    '電电',
    '無无',
    '還还',
    '沒没',
    '這这',
    '說说',
    '難难',
    '續续',
    '錯错',
    '壞坏',
    '貨货',
    '運运',
    '發发',
    '費费',
    '務务',
    '員员',
    '夠够',
    '轉转',
    '聽听',
    '長长',
    '時时',
    '間间',
    '門门',
    '們们',
    '環环',
    '髒脏',
    '亂乱',
    '擠挤',
    '騙骗',
    '氣气',
    '極极',
    '審审',
    '統统',
    '閃闪',
    '緩缓',
    '煩烦',
    '饋馈',
    '誤误',
    '導导',
    '識识',
    '訊讯',
    '載载',
    '網网',
    '頁页',
    '熱热',
    '謝谢',
    '讚赞',
    '細细',
    '認认',
    '滿满',
    '實实',
    '際际',
    '東东',
    '級级',
    '單单',
    '訂订',
    '庫库',
    '櫃柜',
    '車车',
    '場场',
    '點点',
    '過过',
    '從从',
    '幾几',
    '戶户',
    '聯联',
    '繫系',
    '進进',
    '報报',
    '臺台',
    '賬账',
    '帳账',
    '號号',
    '碼码',
    '開开',
    '關关',
    '樣样',
    '頭头',
    '嗎吗',
    '麼么',
    '擾扰',
    '護护',
    '損损',
    '斷断',
    '稱称',
    '際际',
    '線线',
    '戲戏',
    '講讲',
    '嚴严',
    '厲厉',
  ].map((pair) => [pair[0]!, pair[1]!]),
);

export interface KeywordMatch {
  category: string;
  keyword: string;
}

export interface CommentClassification {
  /** Problem categories found, in dictionary order, each once. */
  categories: string[];
  matches: KeywordMatch[];
  sentiment: 'positive' | 'neutral' | 'negative';
  /** Strong words ("太差", "never again") or three problem categories at once: raise an alert. */
  strongNegative: boolean;
}

const CJK = /[\u3400-\u9fff]/;
const NEGATION_ZH =
  /(不|没|没有|无需|不用|不必|毫无|并不|从不|从没|从未|未|并没)(太|很|是很|是|算|怎么|那么|够|会|觉得|再)?$/;
const NEGATION_EN =
  /(?:\b(?:not|never|no|hardly|barely|without)\b|n't)(?:\s+(?:at\s+all|too|very|that|so|really|the|a|an|any|overly|even|particularly|\w+ly))*\s*$/;
const NEGATOR_START =
  /^(不|没|无|未|非|仍未|no\b|not\b|never\b|nobody\b|couldn't|didn't|doesn't|wasn't|can't|cannot|kept\b|still\b)/;

/** Folds full-width forms, case and traditional characters, so one dictionary fits all. */
export function normalizeComment(text: string): string {
  let out = '';
  for (const char of text.normalize('NFKC').toLowerCase()) out += TRADITIONAL[char] ?? char;
  return out.replace(/[’`]/g, "'");
}

interface CompiledKeyword {
  keyword: string;
  find: (text: string) => number[];
  negatable: boolean;
}

/** The `…` of a Chinese keyword: a few characters of the same clause, none of them a negation. */
const GAP = '(?:(?![不没无未])[^，。,.!！?？；;：:\\s]){0,4}';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileKeyword(raw: string): CompiledKeyword {
  // NFKC would turn the gap mark into "...": normalise around it.
  const keyword = raw.trim().split('…').map(normalizeComment).join('…');
  const negatable = !NEGATOR_START.test(keyword);
  if (keyword.includes('…')) {
    const pattern = new RegExp(keyword.split('…').map(escapeRegExp).join(GAP), 'g');
    return { keyword, negatable, find: (text) => [...text.matchAll(pattern)].map((m) => m.index ?? 0) };
  }
  if (CJK.test(keyword) || !/[a-z]/.test(keyword)) {
    return {
      keyword,
      negatable,
      find: (text) => {
        const found: number[] = [];
        for (let at = text.indexOf(keyword); at !== -1; at = text.indexOf(keyword, at + 1)) found.push(at);
        return found;
      },
    };
  }
  const prefix = keyword.endsWith('*');
  const body = escapeRegExp(prefix ? keyword.slice(0, -1) : keyword).replace(/\s+/g, '\\s+');
  const pattern = new RegExp(`(?<![a-z])${body}${prefix ? '' : "(?:s|es|ed|d|ing|ly|'s)?(?![a-z])"}`, 'g');
  return { keyword, negatable, find: (text) => [...text.matchAll(pattern)].map((m) => m.index ?? 0) };
}

/** Whether the keyword at `at` is preceded by a negation in its own clause. */
function negatedAt(text: string, at: number, keyword: string): boolean {
  const before = text.slice(Math.max(0, at - 30), at);
  const clause = before.split(/[,.;!?，。；！？、\n]|but|但|可是|不过/).pop() ?? '';
  return CJK.test(keyword) ? NEGATION_ZH.test(clause.slice(-6)) : NEGATION_EN.test(clause);
}

/** Occurrences of a keyword that are not negated. */
function count(text: string, keyword: CompiledKeyword): number {
  return keyword.find(text).filter((at) => !keyword.negatable || !negatedAt(text, at, keyword.keyword)).length;
}

function negatedCount(text: string, keyword: CompiledKeyword): number {
  return keyword.negatable ? keyword.find(text).filter((at) => negatedAt(text, at, keyword.keyword)).length : 0;
}

export interface Classifier {
  classify(text: string): CommentClassification;
}

/**
 * A classifier over the built-in dictionary plus `extraKeywords` (from settings: category →
 * keywords; a new category name adds a category).
 */
export function commentClassifier(extraKeywords: Record<string, readonly string[]> = {}): Classifier {
  const categories = new Map<string, CompiledKeyword[]>();
  for (const [category, words] of [...Object.entries(COMMENT_DICTIONARY), ...Object.entries(extraKeywords)]) {
    const list = categories.get(category) ?? [];
    list.push(...words.filter((w) => w.trim()).map(compileKeyword));
    categories.set(category, list);
  }
  const strong = STRONG_NEGATIVE.map(compileKeyword);
  const mild = MILD_NEGATIVE.map(compileKeyword);
  const positive = POSITIVE.map(compileKeyword);

  return {
    classify(raw) {
      const text = normalizeComment(raw);
      const matches: KeywordMatch[] = [];
      for (const [category, keywords] of categories) {
        for (const keyword of keywords) {
          if (count(text, keyword) > 0) {
            matches.push({ category, keyword: keyword.keyword });
            break;
          }
        }
      }
      const found = matches.map((m) => m.category);
      const strongHits = strong.reduce((n, k) => n + count(text, k), 0);
      const negativeScore =
        found.length +
        strongHits * 2 +
        mild.reduce((n, k) => n + count(text, k), 0) +
        positive.reduce((n, k) => n + negatedCount(text, k), 0);
      // Positive words inside a longer keyword that was matched ("不及时" contains "及时") were negated above.
      const positiveScore = positive.reduce((n, k) => n + count(text, k), 0);
      const sentiment =
        negativeScore > positiveScore ? 'negative' : positiveScore > negativeScore ? 'positive' : 'neutral';
      return { categories: found, matches, sentiment, strongNegative: strongHits > 0 || found.length >= 3 };
    },
  };
}

const cache = new WeakMap<object, Classifier>();
const builtIn = commentClassifier();

/** The classifier for a settings dictionary, built once per settings object. */
export function classifierFor(extraKeywords: Record<string, readonly string[]> | undefined): Classifier {
  if (!extraKeywords || Object.keys(extraKeywords).length === 0) return builtIn;
  let classifier = cache.get(extraKeywords);
  if (!classifier) cache.set(extraKeywords, (classifier = commentClassifier(extraKeywords)));
  return classifier;
}

export const classifyComment = (text: string, extraKeywords?: Record<string, readonly string[]>) =>
  classifierFor(extraKeywords).classify(text);
