/** The patient identifiers found in a field, highlighted in the text, with the masking offer. */
import { Button, Text, View } from '@tarojs/components';
import { highlightPieces, PHI_KIND_LABELS, type PhiWarning } from '../caseForm';

export function PhiWarningBox({ warning, text, onMask }: { warning: PhiWarning; text: string; onMask: () => void }) {
  const kinds = [...new Set(warning.findings.map((f) => PHI_KIND_LABELS[f.kind]))].join('、');
  return (
    <View className='phi-warning' id={`phi-warning-${warning.field}`}>
      <Text className='phi-warning-title'>{`疑似患者身份信息：${kinds}`}</Text>
      <View className='phi-text'>
        {highlightPieces(text, warning.findings).map((p, i) => (
          <Text key={i} className={p.flagged ? 'phi-flagged' : ''}>
            {p.text}
          </Text>
        ))}
      </View>
      <Button id={`phi-mask-${warning.field}`} className='btn btn-quiet phi-mask' onClick={onMask}>
        一键遮盖
      </Button>
    </View>
  );
}
