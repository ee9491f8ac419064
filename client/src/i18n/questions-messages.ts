/**
 * Questions' part of the catalogue (merged into `messages`): the task page's question panel, the
 * board's badge and the history's words. Keys carry the prefix `question.`, or `action_` for the history.
 */
export const questionsFr = {
  'question.title': 'Question à la commune demandeuse',
  'question.ask': 'Poser une question au demandeur',
  'question.askHint':
    'Il manque une information ? Posez la question : la tâche attend la réponse, et ce temps ne compte pas dans le délai.',
  'question.askField': 'Votre question',
  'question.send': 'Envoyer la question',
  'question.asked': 'Question posée le',
  'question.waiting': 'La tâche attend la réponse de la commune demandeuse.',
  'question.answerField': 'Votre réponse',
  'question.answer': 'Répondre',
  'question.badge': 'Question en attente',
  action_question: 'Question posée',
  action_answer: 'Réponse donnée',
};

export const questionsEn: Record<keyof typeof questionsFr, string> = {
  'question.title': 'Question to the requesting commune',
  'question.ask': 'Ask the requester',
  'question.askHint':
    'Something missing? Ask: the task waits for the answer, and the wait does not count against its due date.',
  'question.askField': 'Your question',
  'question.send': 'Send the question',
  'question.asked': 'Asked on',
  'question.waiting': 'The task waits for the requesting commune’s answer.',
  'question.answerField': 'Your answer',
  'question.answer': 'Answer',
  'question.badge': 'Question pending',
  action_question: 'Question asked',
  action_answer: 'Answered',
};
