/**
 * The app's main call-to-action button. Adds a class for the disabled look (WXSS has no
 * reliable [disabled] selector, and in h5 React writes disabled="false" on enabled buttons)
 * and ARIA state so assistive tech — and Playwright's toBeDisabled() — see it in the browser build.
 */
import type { ReactNode } from 'react';
import { Button } from '@tarojs/components';

interface PrimaryButtonProps {
  id: string;
  disabled?: boolean;
  className?: string;
  onClick: () => void;
  children: ReactNode;
}

export function PrimaryButton({ id, disabled = false, className = '', onClick, children }: PrimaryButtonProps) {
  // Not in Taro's prop types; the browser build passes them through, WeChat drops them.
  const a11y: Record<string, string> = { role: 'button', 'aria-disabled': disabled ? 'true' : 'false' };
  return (
    <Button
      {...a11y}
      id={id}
      className={`btn btn-primary${disabled ? ' btn-disabled' : ''} ${className}`.trim()}
      hoverClass={disabled ? 'none' : 'btn-pressed'}
      disabled={disabled}
      onClick={() => {
        if (!disabled) onClick();
      }}
    >
      {children}
    </Button>
  );
}
