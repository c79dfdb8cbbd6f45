/**
 * The next animation frame, or 100 ms in a hidden tab (which has no frames): the element
 * renders at most once a frame, since socket changes can arrive by the thousand and each
 * would otherwise re-render the whole list. The element's first update does not wait for it:
 * that update opens the socket and starts the first fetch, so that the day renders in the first
 * frame after it arrives.
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
