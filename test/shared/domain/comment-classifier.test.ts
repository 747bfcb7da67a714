import { describe, expect, it } from 'vitest';
import { classifyComment, commentClassifier, normalizeComment } from '../../../shared/domain/comment-classifier.js';
import { COMMENT_CATEGORIES } from '../../../shared/domain/comment-words.js';

/**
 * Real-looking comments, written from the problem examples of the seed documents
 * (s001 评价维度, s002 核心问题反馈, s003 问题分类, s004 按类型投诉率), with the categories a
 * supervisor would file them under.
 */
const COMMENTS: Array<[comment: string, categories: string[]]> = [
  // s002 核心问题反馈 and close variants
  ['售后电话等待时长超30分钟，多次无人接听', ['slow_response']],
  ['同一问题反馈3次仍未解决，重复描述情况', ['unresolved']],
  ['客服无法解答产品技术参数问题，转接多次', ['lack_of_expertise']],
  ['打了三次客服电话都占线，好不容易接通又让我等回电', ['slow_response']],
  ['在线客服回复太慢了，一句话要等五分钟', ['slow_response']],
  ['提交工单两天了还没人回，效率太低', ['slow_response']],
  ['问题反复出现，修了两次还是没好', ['unresolved']],
  ['说好的解决方案到现在也没有下文', ['unresolved']],
  ['客服业务不熟，答非所问，最后还给了错误的信息', ['lack_of_expertise']],
  ['问了三个人说法不一致，不知道该信谁', ['lack_of_expertise']],
  ['客服态度很差，说话不耐烦', ['attitude']],
  ['门店店员爱答不理，问什么都敷衍', ['attitude']],
  ['我还没说完就被挂电话了', ['attitude']],
  ['退货流程太繁琐，要填好几张表', ['cumbersome_process']],
  ['售后审批慢，来回跑了好几趟', ['cumbersome_process', 'slow_response']],
  ['同样的信息每次都要重复登记，很麻烦', ['cumbersome_process']],
  ['手机续航太差，用半天就没电了', ['product_quality']],
  ['刚买一个月就坏了，质量问题太明显', ['product_quality']],
  ['收到的商品有瑕疵，外壳掉漆', ['product_quality']],
  ['价格比别家贵了不少，性价比低', ['price']],
  ['账单里有额外收费，没人提前告知', ['price']],
  ['快递三天还没到，物流信息也不更新', ['delivery']],
  ['发错货了，还漏发了一个配件', ['delivery']],
  ['APP老是闪退，付款的时候还支付失败', ['system_stability']],
  ['官网打不开，登录不了账户', ['system_stability']],
  ['门店环境太吵，也没有座位，停车难', ['environment']],
  ['说好第二天回电，结果一直没人联系我', ['no_follow_up']],
  ['处理完以后没有回访，也不告知进度', ['no_follow_up']],
  ['等了40分钟才接通，客服还一问三不知', ['slow_response', 'lack_of_expertise']],
  ['问题到现在仍未解决，客服态度还很冷漠', ['unresolved', 'attitude']],
  ['價格太貴了，客服態度也不好', ['attitude', 'price']],
  ['服務響應太慢，問題一直沒解決', ['slow_response', 'unresolved']],
  // English
  ['I waited 45 minutes on hold before anyone picked up', ['slow_response']],
  ['Nobody answered my emails for three days', ['slow_response']],
  ['Same problem happened again, still not fixed after three calls', ['unresolved']],
  ['The agent had no idea about the product specs and transferred me four times', ['lack_of_expertise']],
  ['The staff member was rude and hung up on me', ['attitude']],
  ['Way too many steps and paperwork just to get a refund', ['cumbersome_process', 'price']],
  ['The charger stopped working after a week, poor quality', ['product_quality']],
  ['Overcharged on my bill and nobody could explain the hidden fees', ['price']],
  ['My parcel arrived late and the box was damaged', ['product_quality', 'delivery']],
  ['The app keeps crashing when I try to pay', ['system_stability']],
  ['The store was dirty and crowded', ['environment']],
  ['They promised to call back but I never heard back', ['no_follow_up']],
  // No problem at all, including negated problem words
  ['服务很好，谢谢！', []],
  ['回复不慢，客服很专业，问题一次就解决了', []],
  ['价格不贵，送货也挺快', ['delivery']],
  ['The agent was not rude at all, very helpful', []],
  ['Great service, quick and friendly. Thank you!', []],
  ['挺满意的，没什么意见', []],
];

describe('comment classifier', () => {
  it('has at least 40 real-looking comments in its table, in both languages', () => {
    expect(COMMENTS.length).toBeGreaterThanOrEqual(40);
    expect(COMMENTS.filter(([c]) => /[\u4e00-\u9fff]/.test(c)).length).toBeGreaterThanOrEqual(20);
    expect(COMMENTS.filter(([c]) => /^[\x20-\x7e]+$/.test(c)).length).toBeGreaterThanOrEqual(12);
  });

  it.each(COMMENTS)('files "%s" under %j', (comment, expected) => {
    expect([...classifyComment(comment).categories].sort()).toEqual([...expected].sort());
  });

  it('covers every problem category of PRODUCT.md §3 in the table', () => {
    const seen = new Set(COMMENTS.flatMap(([, categories]) => categories));
    for (const category of COMMENT_CATEGORIES) expect(seen).toContain(category);
  });

  it('does not count a problem word that is negated ("不慢", "没那么贵", "wasn\'t slow")', () => {
    expect(classifyComment('处理速度不慢').categories).toEqual([]);
    expect(classifyComment('也没那么贵').categories).toEqual([]);
    expect(classifyComment('一点也不慢').categories).toEqual([]);
    expect(classifyComment("The reply wasn't slow at all").categories).toEqual([]);
    expect(classifyComment('The reply was slow').categories).toEqual(['slow_response']);
  });

  it('finds a problem phrase with a few words in between, unless one of them negates it', () => {
    expect(classifyComment('客服态度也很差').categories).toEqual(['attitude']);
    expect(classifyComment('客服态度不差').categories).toEqual([]);
    expect(classifyComment('价格有点高').categories).toEqual(['price']);
  });

  it('keeps a negation inside its own clause ("不错，但是太慢了" is still slow)', () => {
    expect(classifyComment('态度不错，但是太慢了').categories).toEqual(['slow_response']);
  });

  it('reads traditional characters and full-width letters like simplified ones', () => {
    expect(normalizeComment('態度ＡＰＰ')).toBe('态度app');
    expect(classifyComment('客服態度很差').categories).toEqual(['attitude']);
  });

  it('tells praise, complaints and neutral remarks apart', () => {
    expect(classifyComment('非常满意，客服很耐心').sentiment).toBe('positive');
    expect(classifyComment('客服不专业，很失望').sentiment).toBe('negative');
    expect(classifyComment('I will call again tomorrow').sentiment).toBe('neutral');
    expect(classifyComment('不满意').sentiment).toBe('negative');
  });

  it('marks strongly negative comments for an alert: strong words or three problems at once', () => {
    expect(classifyComment('太差了，再也不来了').strongNegative).toBe(true);
    expect(classifyComment('Worst service ever, never again').strongNegative).toBe(true);
    expect(classifyComment('等了很久，态度冷漠，问题也没解决').strongNegative).toBe(true);
    expect(classifyComment('等了很久').strongNegative).toBe(false);
    expect(classifyComment('not terrible at all').strongNegative).toBe(false);
  });

  it('lets settings add keywords to a category and add new categories', () => {
    const classifier = commentClassifier({ price: ['收费不透明'], membership: ['会员权益', 'loyalty points'] });
    expect(classifier.classify('收费不透明').categories).toEqual(['price']);
    expect(classifier.classify('会员权益说没就没了').categories).toEqual(['membership']);
    expect(classifier.classify('My loyalty points vanished').categories).toEqual(['membership']);
    expect(classifyComment('会员权益说没就没了').categories).toEqual([]);
  });

  it('matches English words at word boundaries, not inside other words', () => {
    expect(classifyComment('I will call you later').categories).toEqual([]);
    expect(classifyComment('Delivered, but arrived late').categories).toEqual(['delivery']);
    expect(classifyComment('They overcharged me').categories).toEqual(['price']);
  });
});
