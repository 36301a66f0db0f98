-- Comments with nothing but white space (including no-break and zero-width spaces) are ratings
-- without a comment: stored as null, so that they are neither themed nor counted as comments.
update feedback
set comment = null
where comment is not null
    and regexp_full_match(comment, '[\s\x{00A0}\x{1680}\x{2000}-\x{200B}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]*')
