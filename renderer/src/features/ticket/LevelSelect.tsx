import { MenuItem, TextField, type TextFieldProps } from '@mui/material';
import type { Level } from '../../../../shared/domain';

const LEVELS = [
  { value: 1, label: '1 - High' },
  { value: 2, label: '2 - Medium' },
  { value: 3, label: '3 - Low' },
] as const;

/** An impact or urgency picker (1 high … 3 low); priority is derived from the pair elsewhere. */
export function LevelSelect({
  label,
  value,
  onChange,
  ...rest
}: {
  readonly label: 'Impact' | 'Urgency';
  readonly value: Level;
  readonly onChange: (level: Level) => void;
} & Pick<TextFieldProps, 'size' | 'sx' | 'fullWidth'>) {
  return (
    <TextField
      select
      label={label}
      value={value}
      onChange={(e) => onChange(Number(e.target.value) as Level)}
      {...rest}
    >
      {LEVELS.map((l) => (
        <MenuItem key={l.value} value={l.value}>
          {l.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
