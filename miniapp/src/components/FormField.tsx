/** One labelled form row with its per-field error underneath (class field-error, read by e2e tests). */
import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import './FormField.css';

interface FormFieldProps {
  label: string;
  required?: boolean;
  error?: string;
  children: ReactNode;
}

export function FormField({ label, required = false, error, children }: FormFieldProps) {
  return (
    <View className={`form-field${error ? ' form-field-invalid' : ''}`}>
      <Text className='form-label'>
        {label}
        {required ? <Text className='form-required'> *</Text> : null}
      </Text>
      <View className='form-control'>{children}</View>
      {error ? <Text className='field-error'>{error}</Text> : null}
    </View>
  );
}
