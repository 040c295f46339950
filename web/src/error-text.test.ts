import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { codedText, errorText } from './error-text';
import { MESSAGES, translate, type Lang } from './i18n/translate';
import type { MessageKey } from './i18n/zh-CN';

const tOf = (lang: Lang) => (key: MessageKey, params?: Record<string, string | number>) => translate(MESSAGES[lang], key, params);

describe('codedText', () => {
  it('words a schema error with the field’s label, in Chinese and English', () => {
    expect(codedText(tOf('zh-CN'), 'validation_max_length', { field: 'droneModel', limit: 100 }, 'x')).toBe('机型 最多 100 个字符');
    expect(codedText(tOf('en'), 'validation_max_length', { field: 'droneModel', limit: 100 }, 'x')).toBe('Drone model takes at most 100 characters');
    // a field the UI has no label for keeps its name
    expect(codedText(tOf('zh-CN'), 'validation_required', { field: 'expectedCount' }, 'x')).toBe('缺少必填项 expectedCount');
  });

  it('words a failed detection run and an ingest failure, and falls back for a code it does not know', () => {
    expect(codedText(tOf('zh-CN'), 'detection_batch_failed', { batch: 3, message: 'boom' }, 'x')).toBe(
      '检测任务的第 3 批多次重试后仍失败，任务已停止（技术信息：boom）',
    );
    expect(codedText(tOf('zh-CN'), 'ingest_tiff_no_data', null, 'x')).toBe('TIFF 文件已损坏：其中没有影像数据');
    expect(codedText(tOf('zh-CN'), 'something_new', null, 'the English text')).toBe('the English text');
  });
});

describe('errorText', () => {
  it('puts a coded validation answer from the server into the UI’s words', () => {
    const error = new ApiError(400, 'validation_min_length', 'querystring/q must NOT have fewer than 1 characters', { field: 'q', limit: 1 });
    expect(errorText(tOf('zh-CN'), error)).toBe('搜索内容 至少需要 1 个字符');
  });

  it('words the triage and disposition refusals a busy office meets', () => {
    const notYours = new ApiError(409, 'undo_not_yours', 'the last decision on candidate 7 was made by someone else', { id: 7 });
    expect(errorText(tOf('zh-CN'), notYours)).toBe('图斑 #7 的最近一次决定不是您做的，不能撤销');
    const future = new ApiError(400, 'disposition_date_future', 'date 2027-01-02 is in the future', { date: '2027-01-02', today: '2026-12-05' });
    expect(errorText(tOf('zh-CN'), future)).toBe('处置日期 2027-01-02 晚于今天（2026-12-05）');
    expect(errorText(tOf('en'), future)).toBe('The disposition date 2027-01-02 is after today (2026-12-05)');
  });
});
