/**
 * A Picker (mode="selector") over a fixed Chinese vocabulary, showing the chosen text or a
 * placeholder. The id lands on the picker element so e2e tests can open it
 * (see e2e-driver.ts choosePickerOption).
 */
import { useMemo } from 'react';
import { Picker, Text, View } from '@tarojs/components';

interface SelectFieldProps {
  id: string;
  options: readonly string[];
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
}

export function SelectField({ id, options, value, placeholder, onChange }: SelectFieldProps) {
  const range = useMemo(() => [...options], [options]);
  const index = range.indexOf(value);
  return (
    <Picker
      id={id}
      className='form-picker'
      mode='selector'
      range={range}
      value={index >= 0 ? index : 0}
      onChange={(e) => {
        const chosen = range[Number(e.detail.value)];
        if (chosen !== undefined) onChange(chosen);
      }}
    >
      <View className='form-picker-value'>
        <Text className={value ? 'form-picker-text' : 'form-placeholder'}>{value || placeholder}</Text>
        <Text className='form-picker-arrow'>›</Text>
      </View>
    </Picker>
  );
}
