/**
 * Patient identifiers (PHI) in case submissions (DESIGN §6, WECHAT.md "Patient data in case
 * submissions"). The server refuses a submission with findings (422 `PHI_DETECTED`, details
 * `[{field, kind, start, end}]`); the mini-program runs the same detector while the doctor types
 * and offers `maskPhi`. Offsets are UTF-16 indices into the text, `end` exclusive.
 *
 * Dependency-free and regex-light on purpose: it ships in the mini-program bundle. No lookbehind,
 * named groups or `\p{…}` escapes — older iOS JavaScriptCore inside WeChat rejects lookbehind at
 * parse time, which would break the whole bundle, so digit-run boundaries are checked by hand.
 *
 * Decisions (see phi.test.ts for each as a behaviour):
 * - 床号 is not a record number (a bed is reused, not a patient's identifier; usually 1–3 digits).
 * - Month-precision birth info (1965年3月出生) is allowed: only exact dates of birth are flagged.
 * - An 18-character number with a wrong check character is not an ID number — unless a 身份证 /
 *   证件号 label sits right before it (a typo in an ID is still an ID).
 * - Names are found only in name fields and after a cue (患者/病人/患儿/家属/姓名 …); a bare name in
 *   free text ("张三，男，65岁") is not recognised. 张某 / 李某某 / 王先生 are already de-identified.
 */

export const PHI_KINDS = ['id_number', 'mobile', 'landline', 'patient_name', 'record_number', 'birth_date', 'address'] as const;
export type PhiKind = (typeof PHI_KINDS)[number];

export interface PhiFinding {
  kind: PhiKind;
  start: number;
  end: number;
  text: string;
}

/** Field kinds of a case campaign's form, as far as PHI detection cares. Only `name` changes rules. */
export const PHI_FIELD_KINDS = ['name', 'short_text', 'free_text', 'number', 'date', 'choice'] as const;
export type PhiFieldKind = (typeof PHI_FIELD_KINDS)[number];

export interface PhiOptions {
  fieldKind?: PhiFieldKind;
  /** The field's label: 姓名 makes it a name field; 出生日期 / 住院号 / 身份证号 / 电话 act as the cue. */
  label?: string;
}
export interface PhiField {
  key: string;
  kind?: PhiFieldKind;
  label?: string;
}
/** One entry of the 422 `PHI_DETECTED` details. `field` is `key`, or `key.<index>` inside a list. */
export interface PhiDetail {
  field: string;
  kind: PhiKind;
  start: number;
  end: number;
}

// ── Resident ID numbers (GB 11643) ────────────────────────────────────────────────────────────
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const PROVINCES = new Set('11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' '));

/** The check character of an 18-character ID from its first 17 digits. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** 18 characters (area, birth date 1900–2099, sequence, check character; x accepted) or the old 15-digit form (YYMMDD, 19YY). */
export function isValidIdNumber(id: string): boolean {
  if (/^\d{17}[\dXx]$/.test(id)) {
    return PROVINCES.has(id.slice(0, 2)) && validDate(+id.slice(6, 10), +id.slice(10, 12), +id.slice(12, 14)) && idCheckCharacter(id.slice(0, 17)) === id[17]!.toUpperCase();
  }
  return /^\d{15}$/.test(id) && PROVINCES.has(id.slice(0, 2)) && validDate(1900 + +id.slice(6, 8), +id.slice(8, 10), +id.slice(10, 12));
}

// ── Shapes ────────────────────────────────────────────────────────────────────────────────────
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHan = (c: string | undefined): boolean => c !== undefined && c >= '\u4e00' && c <= '\u9fff';
const ID_RE = /\d{6}([ -]?)\d{8}\1\d{3}[\dXx]|\d{15}/g;
const ID_LABEL_RE = /(?:身份证|证件号|身份号码)[^，。；,;\n]{0,6}$/;
const MOBILE_RE = /(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}/g;
const AREA = '0(?:10|2\\d|[3-9]\\d{2})';
const LANDLINE_RE = new RegExp(`(?:[(（]${AREA}[)）] ?|${AREA}[ -]?)[1-9]\\d{2,3}[ -]?\\d{4}`, 'g');
const LOCAL_PHONE_RE = /(?:电话|座机|固话|Tel|TEL)(?:号码)?\s*(?:为|是)?\s*[：:]?\s*([2-9]\d{2,3}[ -]?\d{4})/g;
const RECORD_RE = /(?:(?:住院|病案|门诊|病历|就诊|登记|医保|社保|健康)卡?编?号码?|ID号码?|ID(?=\s*[：:]))\s*(?:为|是)?\s*[：:]?\s*([A-Za-z0-9][A-Za-z0-9-]*)/gi;
// groups: 1 year · 年 form: 2 month, 3 day · separator form: 4 sep, 5 month, 6 day · compact: 7 month, 8 day
const DATE_RE = /((?:19|20)\d{2})(?:\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})(?:\s*[日号])?|([-/.])(\d{1,2})\4(\d{1,2})|(\d{2})(\d{2}))/g;
const BIRTH_BEFORE_RE = /(?:出生|生日|生于|DOB)[^，。；,;！？\n]{0,8}$/i;
const BIRTH_AFTER_RE = /^\s*(?:[^，。；,;！？\n\d]{0,3}?(?:出生|诞生)|生人|生(?![\u4e00-\u9fff]))/;
const UNIT = '[0-9A-Za-z一二三四五六七八九十]+(?:[-－][0-9]+)?\\s*(?:号楼|号院|号|栋|幢|座|单元|层|楼|室|户|组|期|区)';
const ROAD_RE = new RegExp(`(?:大街|大道|胡同|路|街|道|巷|弄|段)\\s*[0-9]+(?:[-－][0-9]+)?\\s*号(?:大?院)?(?:\\s*${UNIT})*`, 'g');
const ESTATE_RE = new RegExp(`(?:小区|花园|公寓|家园|新村|大厦|社区|苑|村)(?:\\s*${UNIT})+`, 'g');
const VILLAGE_RE = /[乡镇][\u4e00-\u9fa5]{1,5}?村(?![委民卫医诊级])/g;
/** 消化道, 呼吸道 … are not roads. */
const NOT_ROAD_BEFORE_DAO = '化吸尿食胆气肠泪通管隧';
/** Where walking left from a street name stops: the words that lead into an address. */
const ADDRESS_LEAD_INS = ['家住', '现住', '住在', '住于', '居住', '住址', '地址', '位于', '来自', '户籍', '籍贯', '现居', '暂住', '患者', '病人', '患儿', '住', '居', '在', '到', '往', '至', '的', '系', '为', '是', '其'];
const ADMIN_UNIT_RE = /[\u4e00-\u9fa5]{1,8}?(?:自治区|自治州|地区|省|市|区|县|旗)/y;

// ── Names ─────────────────────────────────────────────────────────────────────────────────────
const COMPOUND_SURNAMES = '欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 独孤 南宫 西门 呼延 赫连 澹台 濮阳 申屠 钟离 闻人 万俟 拓跋'.split(' ');
/** Common surnames that rarely begin a clinical word after 患者 (so 患者陈旧性… needs NOT_NAMES below). */
const SAFE_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱覃武戴莫孔汤牛樊葛邢乔伍庞倪庄聂章鲁岳翟殷詹耿俞柳祝阮柯梅裴霍涂骆蓝靳柴鲍喻祁蒲滕饶卓缪褚娄戚岑晏瞿佟邬卞栾隋甄虞敖邝鞠荆冀胥粟冼蔺阚屠';
/** Surnames that are also the first character of everyday clinical words (高血压, 曾于, 房颤, 舒张压 …): names only where a 姓名 cue or a name field says so. */
const FULL_SURNAMES =
  SAFE_SURNAMES + '于高曾常向温文安易关方白万严施凌窦齐欧宁尚符毕季甘左兰焦包谷盛曲翁冉管蒙华房屈解艾尤阳时穆农司古吉简车项连芦麦景党宫费卜冷席卫米柏宗桂全应臧闵苟边姬师仇商刁沙荣巫寇桑郎丛仲明佘池查苑迟官封谈匡惠乐郁南班储原栗燕楚鄢劳谌奚皮楼满闻厉伊仝郜海权强帅朴盖练廉禹井祖漆巴丰支卿狄平计索宣晋相初云容敬扈晁芮普阙浦戈鹿薄邸雍辜羊裘亓修邰赫杭况宿鲜逯隆茹诸战慕玉银亢嵇湛宾戎茅揭尉冶斯元束檀衣展昝智幸奉衡富尧';
/** Surname + first character pairs that are clinical words, not names. */
const NOT_NAMES = new Set(
  '陈述 陈旧 周身 周围 周期 周后 黄疸 黄染 黄色 黄痰 苏醒 程度 陆续 顾虑 张口 张力 许多 许久 马上 范围 胡言 毛细 金属 夏季 黎明 郑重 任意 余下 余无 何时 何处 龙胆 孙子 高血 高热 高龄 高脂 高尿 高度 高危 曾于 曾行 曾服 曾经 曾有 曾因 常规 常有 任何 江苏 江西 石膏 孟鲁 金黄 毛发 马来 罗红 林可 叶酸 杜冷 黄芪 田七 于今 于当 于外 于我 于本 于入 凌晨 窦性 窦房 房颤 房性 方可 白天 白细 平素 全身 明显 查体 易感 安静 成年 关节 焦虑 麻木 劳累 皮肤 支架 呼吸 干咳 严重 康复 颜面 舒张 初次 原发 冷汗 连续 符合 单侧 左侧 时有 时间 温度 文化 应用'.split(' '),
);
/** Characters that end a name (they start the next word): 患者张伟因…, 患者李华诉…, 患者王芳入院. */
const NOT_GIVEN_1 = '某因于男女自入主诉近既今昨无有以在出性年来被经诊行曾及等术已是为的之与也就岁患病将由从对给予服查体血胸头腹咳突伴反均仍每共即拟遂系并';
const NOT_GIVEN_2 = NOT_GIVEN_1 + '间持感夜活再又平素长期多次当前后同住心现发家常时双左右代要';
const NAME_CUE_RE = /患者|病人|患儿|病患|家属|联系人|监护人|姓名|名字|名叫/g;
const NAME_TITLE_RE = /(?:先生|女士|小姐|老师|医生|大夫|阿姨|同志|老|氏|姓)$/;

function surnameLength(text: string, at: number, surnames: string): number {
  if (COMPOUND_SURNAMES.some((s) => text.startsWith(s, at))) return 2;
  const c = text[at];
  return c !== undefined && isHan(c) && surnames.includes(c) ? 1 : 0;
}

/** Length of the name starting at `at` after a cue (surname + 1–2 given characters), or 0. */
function nameAfterCue(text: string, at: number, surnames: string): number {
  const s = surnameLength(text, at, surnames);
  if (!s) return 0;
  const g1 = text[at + s];
  const g2 = text[at + s + 1];
  if (!isHan(g1) || NOT_GIVEN_1.includes(g1!) || (s === 1 && NOT_NAMES.has(text.slice(at, at + 2)))) return 0;
  return s + (isHan(g2) && !NOT_GIVEN_2.includes(g2!) ? 2 : 1);
}

// ── Detection ─────────────────────────────────────────────────────────────────────────────────
type Push = (kind: PhiKind, start: number, end: number) => void;

/** Runs `re` over `text`; `accept` returns false to retry one character later (digit-run boundaries). */
function scan(text: string, re: RegExp, accept: (m: RegExpExecArray) => boolean): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) if (!accept(m)) re.lastIndex = m.index + 1;
}

const standalone = (text: string, start: number, end: number, after = /[0-9]/): boolean => !isDigit(text[start - 1]) && !after.test(text[end] ?? '');

function findNumbers(text: string, push: Push): void {
  scan(text, ID_RE, (m) => {
    const end = m.index + m[0].length;
    if (!standalone(text, m.index, end, /[0-9Xx]/)) return false;
    const labelled = ID_LABEL_RE.test(text.slice(Math.max(0, m.index - 16), m.index));
    if (!labelled && !isValidIdNumber(m[0].replace(/[ -]/g, ''))) return false;
    push('id_number', m.index, end);
    return true;
  });
  scan(text, MOBILE_RE, (m) => {
    const end = m.index + m[0].length;
    if (!standalone(text, m.index, end)) return false;
    push('mobile', m.index, end);
    return true;
  });
  scan(text, LANDLINE_RE, (m) => {
    const end = m.index + m[0].length;
    if (!standalone(text, m.index, end)) return false;
    push('landline', m.index, end);
    return true;
  });
  scan(text, LOCAL_PHONE_RE, (m) => {
    const end = m.index + m[0].length;
    if (isDigit(text[end])) return false;
    push('landline', end - m[1]!.length, end);
    return true;
  });
  scan(text, RECORD_RE, (m) => {
    if (/[A-Za-z]/.test(text[m.index - 1] ?? '')) return false; // lipid: 3.4 is not an "ID:"
    const value = m[1]!;
    const alnum = value.replace(/-/g, '');
    const end = m.index + m[0].length;
    // 1101************2X after a label is an ID already masked, not a 4-character record number.
    if (alnum.length < 4 || !/\d/.test(alnum) || text[end] === '*') return false;
    push('record_number', end - value.length, end);
    return true;
  });
}

function findBirthDates(text: string, push: Push): void {
  scan(text, DATE_RE, (m) => {
    const end = m.index + m[0].length;
    if (!standalone(text, m.index, end)) return false;
    const month = Number(m[2] ?? m[5] ?? m[7]);
    const day = Number(m[3] ?? m[6] ?? m[8]);
    if (!validDate(Number(m[1]), month, day)) return false;
    const cued = BIRTH_BEFORE_RE.test(text.slice(Math.max(0, m.index - 12), m.index)) || BIRTH_AFTER_RE.test(text.slice(end, end + 8));
    if (cued) push('birth_date', m.index, end);
    return true;
  });
}

/** Walks left from a street / estate anchor over the place names before it. */
function addressStart(text: string, anchor: number): number {
  let i = anchor;
  while (i > 0 && anchor - i < 24) {
    const c = text[i - 1];
    if (!isHan(c) || '号室栋幢'.includes(c!) || ADDRESS_LEAD_INS.some((w) => text.endsWith(w, i))) break;
    i--;
  }
  return i;
}

function findAddresses(text: string, push: Push): void {
  const spans: [number, number][] = [];
  const add = (re: RegExp, minName: number) =>
    scan(text, re, (m) => {
      if (m[0][0] === '道' && NOT_ROAD_BEFORE_DAO.includes(text[m.index - 1] ?? '')) return true;
      const start = addressStart(text, m.index);
      if (m.index - start >= minName) spans.push([start, m.index + m[0].length]);
      return true;
    });
  add(ROAD_RE, 2);
  add(ESTATE_RE, 2);
  add(VILLAGE_RE, 1);
  // A street number followed by an estate and its building (建国路88号阳光小区3栋) is one address.
  spans.sort((a, b) => a[0] - b[0]);
  let cur: [number, number] | undefined;
  for (const s of spans) {
    if (cur && s[0] <= cur[1]) cur[1] = Math.max(cur[1], s[1]);
    else {
      if (cur) push('address', cur[0], cur[1]);
      cur = [s[0], s[1]];
    }
  }
  if (cur) push('address', cur[0], cur[1]);
}

function findNames(text: string, nameField: boolean, push: Push): void {
  scan(text, NAME_CUE_RE, (m) => {
    let at = m.index + m[0].length;
    let strong = m[0] === '姓名' || m[0] === '名字' || m[0] === '名叫';
    const skip = () => {
      while (text[at] === ' ' || text[at] === '\u3000') at++;
    };
    skip();
    if (text.startsWith('姓名', at) || text.startsWith('名字', at)) {
      strong = true;
      at += 2;
      skip();
    }
    for (const marks of ['为是叫', '：:']) {
      if (marks.includes(text[at] ?? '\0')) {
        at++;
        skip();
      }
    }
    const len = nameAfterCue(text, at, strong ? FULL_SURNAMES : SAFE_SURNAMES);
    if (len) push('patient_name', at, at + len);
    NAME_CUE_RE.lastIndex = Math.max(NAME_CUE_RE.lastIndex, at);
    return true;
  });
  if (!nameField) return;
  // In a name field every run of Han characters shaped like a name is one: 张伟, 欧阳娜娜, 李秀英.
  scan(text, /[\u4e00-\u9fa5]+/g, (m) => {
    const run = m[0];
    const s = surnameLength(run, 0, FULL_SURNAMES);
    if (s && run.length > s && run.length <= s + 2 && !run.includes('某') && !NAME_TITLE_RE.test(run)) push('patient_name', m.index, m.index + run.length);
    return true;
  });
}

/** More specific first: a checksum beats a label, a label beats a shape. */
const PRIORITY: Record<PhiKind, number> = { id_number: 0, record_number: 1, birth_date: 2, mobile: 3, landline: 4, patient_name: 5, address: 6 };
const LABEL_CUE_RE = /出生|生日|身份证|证件号|电话|手机|座机|联系方式|住院号|病案号|门诊号|病历号|就诊号|登记号|ID|医保|社保/i;

/** Patient identifiers in `text`, sorted by start and non-overlapping. */
export function detectPhi(text: string, opts: PhiOptions = {}): PhiFinding[] {
  const label = (opts.label ?? '').trim().replace(/[：:\s]+$/, '');
  // A cue in the label counts as if it were written before the value: 住院号 ＋ "2024001234".
  const shift = label && LABEL_CUE_RE.test(label) ? label.length + 1 : 0;
  const full = shift ? `${label}：${text}` : text;
  const nameField = opts.fieldKind === 'name' || (opts.fieldKind === undefined && /姓名|名字/.test(label));
  const cands: { kind: PhiKind; start: number; end: number }[] = [];
  const push: Push = (kind, start, end) => {
    if (end > shift) cands.push({ kind, start: Math.max(start, shift) - shift, end: end - shift });
  };
  findNumbers(full, push);
  findBirthDates(full, push);
  findAddresses(full, push);
  findNames(full, nameField, push);
  cands.sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: PhiFinding[] = [];
  for (const c of cands) if (!kept.some((k) => c.start < k.end && k.start < c.end)) kept.push({ ...c, text: text.slice(c.start, c.end) });
  return kept.sort((a, b) => a.start - b.start);
}

/** Every string answer (lists element-wise) checked with its field's kind and label; answers without a field are checked as free text. */
export function detectPhiInAnswers(answers: Record<string, unknown>, fields: readonly PhiField[]): PhiDetail[] {
  const details: PhiDetail[] = [];
  const check = (field: string, value: unknown, f: PhiField | undefined) => {
    if (typeof value !== 'string') return;
    for (const x of detectPhi(value, { fieldKind: f?.kind, label: f?.label })) details.push({ field, kind: x.kind, start: x.start, end: x.end });
  };
  const visit = (key: string, f?: PhiField) => {
    if (!Object.prototype.hasOwnProperty.call(answers, key)) return;
    const v = answers[key];
    if (Array.isArray(v)) v.forEach((x, i) => check(`${key}.${i}`, x, f));
    else check(key, v, f);
  };
  const known = new Set<string>();
  for (const f of fields) {
    if (known.has(f.key)) continue;
    known.add(f.key);
    visit(f.key, f);
  }
  for (const key of Object.keys(answers)) if (!known.has(key)) visit(key);
  return details;
}

// ── Masking ───────────────────────────────────────────────────────────────────────────────────
/** Replaces the `pick`-th characters among those matching `counted` with `*`. */
function maskCounted(s: string, counted: RegExp, pick: (i: number, n: number) => boolean): string {
  const n = s.split('').filter((c) => counted.test(c)).length;
  let i = 0;
  return s.replace(new RegExp(counted.source, 'g'), (c) => (pick(i++, n) ? '*' : c));
}

function maskOne(kind: PhiKind, s: string): string {
  switch (kind) {
    case 'patient_name':
      return s.slice(0, surnameLength(s, 0, '') || 1) + '**';
    case 'mobile': // the last 11 digits are the number (a +86 prefix stays): 138******78
      return maskCounted(s, /[0-9]/, (i, n) => i >= n - 8 && i < n - 2);
    case 'landline': {
      // area code kept, local number but its last 4 masked: 010-****5678, (0755)****5678
      const bare = s.replace(/^[(（]/, '');
      const area = bare[0] === '0' ? ('12'.includes(bare[1]!) ? 3 : 4) : 0;
      return maskCounted(s, /[0-9]/, (i, n) => i >= area && i < n - 4);
    }
    case 'id_number':
      return maskCounted(s, /[0-9Xx]/, (i, n) => i >= 4 && i < n - 2);
    case 'record_number':
      return s.replace(/[A-Za-z0-9]/g, '*');
    case 'birth_date': // the year stays: 1965年**月**日, 1965-**-**, 1965****
      return s.slice(0, 4) + s.slice(4).replace(/\d+/g, (d) => (d.length === 4 ? '****' : '**'));
    case 'address': {
      // province / city / district stay, the street and below go: 北京市朝阳区***
      let keep = 0;
      ADMIN_UNIT_RE.lastIndex = 0;
      for (let m = ADMIN_UNIT_RE.exec(s); m && !/[小社园校景城]区$/.test(m[0]); m = ADMIN_UNIT_RE.exec(s)) keep = ADMIN_UNIT_RE.lastIndex;
      return s.slice(0, keep) + '***';
    }
  }
}

/** The text with each finding masked the way the mini-program offers it; the result has no findings. */
export function maskPhi(text: string, findings: readonly PhiFinding[]): string {
  let out = '';
  let at = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (f.start < at) continue;
    out += text.slice(at, f.start) + maskOne(f.kind, text.slice(f.start, f.end));
    at = f.end;
  }
  return out + text.slice(at);
}
