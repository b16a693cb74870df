/**
 * The privacy policy summary shown before consent. Versioned with CURRENT_POLICY_VERSION in
 * @hcp360/shared: changing what is collected or why means a new version (PIPL Art. 14), and
 * every doctor is asked again. The contact address is the operator's to fill in before launch.
 */
export interface PolicySection {
  heading: string;
  paragraphs: string[];
}

export const POLICY_TITLE = 'HCP360 隐私政策摘要';

export const POLICY_INTRO =
  '我们依据《中华人民共和国个人信息保护法》（以下简称《个人信息保护法》）处理您的个人信息。请您仔细阅读以下内容，尤其是敏感个人信息的部分。';

export const POLICY_SECTIONS: PolicySection[] = [
  {
    heading: '一、我们收集哪些信息',
    paragraphs: [
      '账号信息：微信提供的用户标识（openid），以及您授权后的手机号码。',
      '执业信息：姓名、执业医院及等级、科室、职称、所在省市、医师执业证书编码。',
      '使用记录：您浏览、观看、报名、分享的内容及时间，用于改进内容推荐。',
      '病例信息：您参与病例征集时主动提交的、已去标识化的病例内容。',
    ],
  },
  {
    heading: '二、我们为什么收集',
    paragraphs: [
      '确认您的医疗卫生专业人士身份——处方药相关信息依法仅可向医疗卫生专业人士展示；',
      '根据您的科室、职称和兴趣推荐学术内容、直播与病例征集活动；',
      '向您发送您订阅的直播提醒，并保障账号安全。',
    ],
  },
  {
    heading: '三、我们保存多久',
    paragraphs: [
      '账号与执业信息在您使用期间保存；注销账号后 30 日内删除或匿名化处理。',
      '使用记录保存不超过 24 个月，之后仅以匿名统计形式保留。',
      '法律法规另有规定的，从其规定。',
    ],
  },
  {
    heading: '四、您的权利',
    paragraphs: [
      '您有权查阅、复制您的个人信息（《个人信息保护法》第四十五条），有权更正不准确的信息（第四十六条），有权要求删除（第四十七条），并可随时撤回同意（撤回不影响此前基于同意已进行的处理）。',
      '您可以在「我的」页面修改资料，或通过下方联系方式提出申请，我们将在 15 个工作日内答复。',
    ],
  },
  {
    heading: '五、如何联系我们',
    paragraphs: ['个人信息保护负责人邮箱：privacy@hcp360.example', '我们不会将您的个人信息出售给任何第三方。'],
  },
];

export const SENSITIVE_NOTICE = {
  heading: '敏感个人信息单独告知',
  paragraph:
    '医师执业证书编码、执业信息以及病例等医疗健康信息属于敏感个人信息（《个人信息保护法》第二十八条）。我们仅为医师身份认证和病例征集审核处理这些信息，采取加密存储与严格的访问控制；依照第二十九条，需取得您的单独同意。',
};
