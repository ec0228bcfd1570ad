import { useId } from "react";

export interface TableFilterInputProps {
  value: string;
  onChange: (value: string) => void;
  /** Accessible label, e.g. "Filter volumes". */
  label: string;
  placeholder?: string;
}

export function TableFilterInput({ value, onChange, label, placeholder }: TableFilterInputProps) {
  const id = useId();
  return (
    <div className="table-filter">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input id={id} type="search" value={value} placeholder={placeholder ?? label} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
