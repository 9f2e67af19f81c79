/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

/** A form field: its label (with an optional hint under it) and the control. */
export const Field = (props: { id: string; label: string; hint?: string; children: Child }) => (
  <>
    <label for={props.id}>
      {props.label}
      {props.hint ? <span class="hint">{props.hint}</span> : null}
    </label>
    {props.children}
  </>
);
