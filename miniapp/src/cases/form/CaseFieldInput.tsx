/** One form field by type: text, long text, number with unit, single or multiple choice, month, images. */
import { Input, Picker, Text, Textarea, View } from '@tarojs/components';
import type { CaseField } from '@hcp360/shared';
import { ImageField, type ImageItem, type ImageUpdate } from './ImageField';

interface Props {
  field: CaseField;
  value: string | string[] | undefined;
  onChange: (value: string | string[]) => void;
  images: ImageItem[];
  onImages: ImageUpdate;
}

const text = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : []);

export function CaseFieldInput({ field: f, value, onChange, images, onImages }: Props) {
  const id = `field-${f.key}`;
  switch (f.type) {
    case 'short_text':
      return <Input id={id} className='case-input' value={text(value)} maxlength={f.maxLength} placeholder='请填写' onInput={(e) => onChange(e.detail.value)} />;
    case 'long_text':
      return (
        <Textarea id={id} className='case-textarea' value={text(value)} maxlength={f.maxLength} placeholder='请填写' autoHeight onInput={(e) => onChange(e.detail.value)} />
      );
    case 'number':
      return (
        <View className='case-number'>
          <Input id={id} className='case-input' type='digit' value={text(value)} placeholder='请输入数字' onInput={(e) => onChange(e.detail.value)} />
          {f.unit ? <Text>{f.unit}</Text> : null}
        </View>
      );
    case 'single_choice':
      return (
        <View className='case-options' id={id}>
          {f.options.map((o, i) => (
            <View key={o} id={`${id}-${i}`} className={`case-option${value === o ? ' case-option-on' : ''}`} onClick={() => onChange(value === o ? '' : o)}>
              <Text>{o}</Text>
            </View>
          ))}
        </View>
      );
    case 'multi_choice': {
      const chosen = list(value);
      return (
        <View className='case-options' id={id}>
          {f.options.map((o, i) => (
            <View
              key={o}
              id={`${id}-${i}`}
              className={`case-option${chosen.includes(o) ? ' case-option-on' : ''}`}
              onClick={() => onChange(chosen.includes(o) ? chosen.filter((x) => x !== o) : [...chosen, o])}
            >
              <Text>{o}</Text>
            </View>
          ))}
        </View>
      );
    }
    case 'month':
      return (
        <Picker id={id} mode='date' fields='month' value={text(value) || '2024-01'} end={new Date().toISOString().slice(0, 7)} onChange={(e) => onChange(String(e.detail.value).slice(0, 7))}>
          <View className='case-input'>
            <Text className={value ? '' : 'muted'}>{text(value) || '请选择年月'}</Text>
          </View>
        </Picker>
      );
    case 'images':
      return <ImageField id={id} maxCount={f.maxCount} items={images} onChange={onImages} />;
  }
}
