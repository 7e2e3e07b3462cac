package dev.sprox.http2;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * RFC 7541 §2.3.2 and §4: the entries one side of a connection added, newest first, evicted oldest first so that
 * their sizes never exceed the maximum. Its memory is bounded by that maximum (plus 32 octets of overhead per entry
 * counted in it), which the peer cannot raise past our SETTINGS_HEADER_TABLE_SIZE.
 */
final class DynamicTable {

    private final ArrayDeque<HeaderField> entries = new ArrayDeque<>();
    private int size;
    private int maxSize;

    DynamicTable(int maxSize) {
        this.maxSize = maxSize;
    }

    int length() {
        return entries.size();
    }

    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    /** The entry at {@code index}, 1 being the newest; the caller has checked {@code index <= length()}. */
    HeaderField get(int index) {
        if (index <= entries.size() / 2) {
            Iterator<HeaderField> newestFirst = entries.iterator();
            for (int i = 1; i < index; i++) {
                newestFirst.next();
            }
            return newestFirst.next();
        }
        Iterator<HeaderField> oldestFirst = entries.descendingIterator();
        for (int i = entries.size(); i > index; i--) {
            oldestFirst.next();
        }
        return oldestFirst.next();
    }

    /** The 1-based position of this exact field, or 0. */
    int indexOf(HeaderField field) {
        int index = 1;
        for (HeaderField entry : entries) {
            if (entry.equals(field)) {
                return index;
            }
            index++;
        }
        return 0;
    }

    /** The 1-based position of the newest entry with this name, or 0. */
    int indexOfName(String name) {
        int index = 1;
        for (HeaderField entry : entries) {
            if (entry.name().equals(name)) {
                return index;
            }
            index++;
        }
        return 0;
    }

    /** §4.4: evicts until the field fits; a field larger than the table empties it and is not added. */
    void add(HeaderField field) {
        evictUntil(maxSize - field.size());
        if (field.size() <= maxSize) {
            entries.addFirst(field);
            size += field.size();
        }
    }

    /** §4.3: a new maximum evicts what no longer fits. */
    void setMaxSize(int newMaxSize) {
        maxSize = newMaxSize;
        evictUntil(newMaxSize);
    }

    private void evictUntil(int allowed) {
        while (size > Math.max(allowed, 0) && !entries.isEmpty()) {
            size -= entries.removeLast().size();
        }
    }
}
