/**
 * The few DOM calls the report makes, typed: linkedom provides them without a
 * browser (the project's TypeScript has no DOM library, so linkedom's and
 * Observable Plot's own DOM types do not resolve here).
 */
import { parseHTML } from 'linkedom';

export interface DomNode {
  textContent: string | null;
}

export interface DomElement extends DomNode {
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
  readonly firstChild: DomNode | null;
  appendChild<T extends DomNode>(node: T): T;
  append(...nodes: Array<DomNode | string>): void;
  readonly outerHTML: string;
}

export interface DomDocument {
  createElement(tag: string): DomElement;
  createElementNS(namespace: string, tag: string): DomElement;
  readonly documentElement: DomElement;
  readonly head: DomElement;
  readonly body: DomElement;
  toString(): string;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** A new, empty HTML document (`<!doctype html>`, head, body). */
export function newDocument(): DomDocument {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  return document;
}

type Attributes = Readonly<Record<string, string | number>>;

/** An HTML element with attributes and children (text is escaped: labels come from users' files). */
export function element(
  document: DomDocument,
  tag: string,
  attributes: Attributes = {},
  ...children: Array<DomNode | string>
): DomElement {
  return withContent(document.createElement(tag), attributes, children);
}

/** An SVG element likewise. */
export function svgElement(
  document: DomDocument,
  tag: string,
  attributes: Attributes = {},
  ...children: Array<DomNode | string>
): DomElement {
  return withContent(document.createElementNS(SVG_NS, tag), attributes, children);
}

function withContent(node: DomElement, attributes: Attributes, children: ReadonlyArray<DomNode | string>): DomElement {
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}
