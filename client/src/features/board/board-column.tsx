import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import type { Task } from '../../../../shared/schemas';
import { useI18n } from '../../i18n/i18n';
import type { BoardColumn } from './board-match';
import type { ColumnState } from './board-state';

interface Props {
  status: BoardColumn;
  column: ColumnState;
  /** The exact count of the column from the server, adjusted live; the loaded cards until it is in. */
  count: number | undefined;
  /** Asked when the user nears the end of the loaded cards. */
  onNearEnd: (status: BoardColumn) => void;
  /** Printing: every loaded card in the page's flow, none left out by the virtual list. */
  printing: boolean;
  renderCard: (task: Task) => ReactNode;
}

/** Cards from the end of the loaded ones at which the next page is fetched. */
const nearEnd = 8;

/**
 * One status of the board: its heading with the exact count, and its cards in a virtual list, so
 * the page holds a few dozen cards whatever the count; the next page comes as one scrolls near the
 * end. The list says its full size and each card's place to screen readers (aria-setsize/posinset).
 */
export function BoardColumnView({ status, column, count, onNearEnd, printing, renderCard }: Props) {
  const { t, formatNumber } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const { items } = column;
  // eslint-disable-next-line react-hooks/incompatible-library -- the app does not use the React Compiler, which alone this concerns
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 140,
    overscan: 6,
    getItemKey: (index) => items[index]?.id ?? index,
  });
  const virtual = virtualizer.getVirtualItems();
  const lastShown = virtual.at(-1)?.index ?? -1;
  const total = count ?? items.length;

  useEffect(() => {
    if (column.nextCursor && lastShown >= items.length - nearEnd) onNearEnd(status);
  }, [column.nextCursor, lastShown, items.length, onNearEnd, status]);

  return (
    <section className="column" aria-labelledby={`col-${status}`} aria-busy={column.loading || column.loadingMore}>
      <h2 id={`col-${status}`}>
        {t(status)} <span className="count">{formatNumber(total)}</span>
      </h2>
      {column.loading && items.length === 0 ? (
        <p className="empty">{t('board.loading')}</p>
      ) : items.length === 0 ? (
        <p className="empty">{t('noTasks')}</p>
      ) : printing ? (
        <ul>
          {items.map((task) => (
            <li key={task.id}>{renderCard(task)}</li>
          ))}
        </ul>
      ) : (
        <div ref={scroller} className="column-scroll">
          <ul className="virtual" style={{ height: virtualizer.getTotalSize() }}>
            {virtual.map((row) => {
              const task = items[row.index];
              if (!task) return null;
              return (
                <li
                  key={row.key}
                  data-index={row.index}
                  ref={virtualizer.measureElement}
                  aria-setsize={total}
                  aria-posinset={row.index + 1}
                  style={{ transform: `translateY(${row.start}px)` }}
                >
                  {renderCard(task)}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {items.length > 0 && items.length < total && (
        <p className="column-more" aria-live="off">
          {column.loadingMore
            ? t('board.loadingMore')
            : t('board.shown', { shown: formatNumber(items.length), count: formatNumber(total) })}
        </p>
      )}
    </section>
  );
}
