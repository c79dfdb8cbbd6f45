// The browser's own accessibility tree, for tests of what a screen reader is given
// (`executeServerCommand('ax-lists')`): each list Chromium exposes, with its name and its
// children as assistive technology gets them (nodes the browser ignores are looked through,
// and text that is only whitespace, which nothing speaks, is left out), each with its role
// and its text. Over the test page's DevTools session (`Accessibility.getFullAXTree`);
// web-test-runner's Chrome launcher only.

const COMMAND = 'ax-lists';

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function axTreePlugin() {
  return {
    name: 'ax-tree-command',
    async executeCommand({ command, session }) {
      if (command !== COMMAND) return undefined;
      const page = /** @type {any} */ (session.browser).getPage(session.id);
      const cdp = await page.createCDPSession();
      try {
        const { nodes } = await cdp.send('Accessibility.getFullAXTree');
        return axLists(nodes);
      } finally {
        await cdp.detach();
      }
    },
  };
}

/**
 * @typedef {{ nodeId: string, ignored: boolean, role?: { value?: string }, name?: { value?: string }, childIds?: string[] }} AxNode
 * @param {AxNode[]} nodes
 * @returns {Array<{ name: string, children: Array<{ role: string, text: string }> }>}
 */
function axLists(nodes) {
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  const isText = (/** @type {AxNode} */ node) => node.role?.value === 'StaticText';
  /** @type {(node: AxNode) => AxNode[]} */
  const exposed = (node) =>
    (node.childIds ?? []).flatMap((id) => {
      const child = byId.get(id);
      if (!child) return [];
      if (child.ignored) return exposed(child);
      return isText(child) && String(child.name?.value ?? '').trim() === '' ? [] : [child];
    });
  /** @type {(node: AxNode) => string[]} (A list item's name is not its text: ARIA names it by its author only.) */
  const text = (node) => (isText(node) ? [String(node.name?.value ?? '')] : exposed(node).flatMap(text));
  return nodes
    .filter((node) => !node.ignored && node.role?.value === 'list')
    .map((list) => ({
      name: String(list.name?.value ?? ''),
      children: exposed(list).map((child) => ({ role: String(child.role?.value ?? ''), text: text(child).join(' ') })),
    }));
}
