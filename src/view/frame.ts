/**
 * The next animation frame, or 100 ms in a hidden tab (which has no frames): the element
 * renders at most once a frame, since socket changes can arrive by the thousand and each
 * would otherwise re-render the whole list.
 */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
