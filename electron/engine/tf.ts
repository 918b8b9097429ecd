/**
 * The engine's one door to TensorFlow.js. tfjs-core's Node entry (dist/tf-core.node.js, CommonJS)
 * ships no gradients; `register_all_gradients` exists only as ES modules, so the build bundles that
 * one deep import (electron.vite.config.ts, vitest.config.ts) while tfjs-core itself stays external.
 * Both copies share tfjs's global engine and registries, so the gradients land where the ops look.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * as tf from '@tensorflow/tfjs-core';
